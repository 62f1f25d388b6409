using System.Collections.Generic;
using System.Linq;
using GraphSampling.Autodiff;
using GraphSampling.Generators.Models;
using GraphSampling.Ir;
using GraphSampling.Naming;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Emit
{
    /// <summary>
    /// Writes {Graph}.Gpu.g.cs: a nested <c>GpuProgram</c> with the CPU program's surface, running the same plan on an
    /// ILGPU accelerator (GraphSampling.Runtime.Gpu). Parameters live on the device (<c>DeviceParameterTable</c>), the
    /// workspace is one device slab laid out by the same buffer plan (plus the device copies of the inputs and the fused
    /// groups' scratch), allocated once; each call uploads the inputs once, issues one device op (or GEMM) per step, in
    /// plan order (a fused group is a short sequence of elementwise device ops, each rounding as the CPU's fused operator
    /// does), and copies the outputs back. The input checks are the CPU program's (<see cref="ProgramEmitter.EmitValidate"/>),
    /// run on the host before anything is uploaded. v1 finishes sparse row gradients and optimizer steps on the host
    /// (docs/gpu.md, "Generated GpuProgram").
    /// </summary>
    internal sealed partial class GpuEmitter : ProgramEmitter
    {
        internal const string Gpu = "global::GraphSampling.Runtime.Gpu.";
        private const string DeviceOps = Gpu + "Ops.DeviceOps.";
        private const string DeviceOperand = Gpu + "Ops.DeviceOperand.";
        private const string DeviceWorkspace = Gpu + "Programs.DeviceWorkspace";
        private const string DeviceTable = Gpu + "Buffers.DeviceParameterTable";
        private const string UploadMethod = ProgramNames.ReservedPrefix + "Upload";
        private const string CopyOutputsMethod = ProgramNames.ReservedPrefix + "CopyOutputs";

        /// <summary>Where each user input's device copy lives (an offset into the float or long slab, by its dtype).</summary>
        private readonly Dictionary<int, long> _inputOffsets = new Dictionary<int, long>();

        /// <summary>Device slots of the values the plan leaves unstored for the CPU's in-place GEMM
        /// (<see cref="ProgramPlan.IsReadFromTable"/>, <see cref="ProgramPlan.RowGradientTaking"/>).</summary>
        private readonly Dictionary<int, long> _unstoredOnCpuOffsets = new Dictionary<int, long>();
        private readonly long _floatSlab, _longSlab;
        /// <summary>Scratch for fused groups whose expression is a tree: slots of <see cref="_scratchElements"/> floats.</summary>
        private readonly long _scratchOffset, _scratchElements;
        private readonly int _scratchSlots;
        private readonly long _hostFloats, _hostLongs;

        public GpuEmitter(GraphHeader spec, ProgramPlan plan, string version, bool allowUnsafe)
            : base(spec, plan, version, allowUnsafe)
        {
            long floats = plan.FloatWorkspace, longs = plan.LongWorkspace;
            foreach (int id in plan.Inputs)
            {
                var type = plan.TypeOf(new ValueRef(id));
                if (type.DType == DType.Int64)
                {
                    longs = Align(longs);
                    _inputOffsets[id] = longs;
                    longs += type.Shape.Capacity;
                }
                else
                {
                    floats = Align(floats);
                    _inputOffsets[id] = floats;
                    floats += type.Shape.Capacity;
                }
            }
            // Values the plan leaves unstored because the CPU's GEMM reads or writes their rows in place (a lookup read
            // only by MatMuls, a product added straight into a sparse gradient's slots): the device stores them in a
            // slot of their own, since cuBLAS and the tiled kernel take dense operands.
            foreach (var node in plan.Graph.Nodes.Where(n => plan.IsReadFromTable(n.Id) || plan.RowGradientTaking(n.Id) >= 0))
            {
                floats = Align(floats);
                _unstoredOnCpuOffsets[node.Id] = floats;
                floats += plan.TypeOf(new ValueRef(node.Id)).Shape.Capacity;
            }
            foreach (var group in plan.Graph.Nodes.Select(n => plan.GroupAt(n.Id)).Where(g => g != null))
            {
                int slots = ScratchSlots(group!.Expression, 0);
                if (slots == 0) continue;
                _scratchSlots = System.Math.Max(_scratchSlots, slots);
                _scratchElements = System.Math.Max(_scratchElements, Align(plan.TypeOf(new ValueRef(group.Root)).Shape.Capacity));
            }
            floats = Align(floats);
            _scratchOffset = floats;
            floats += _scratchSlots * _scratchElements;
            _floatSlab = floats;
            _longSlab = longs;

            // Host staging: the ids and rows of each sparse row gradient (finished on the host), a Mod-sharded table used
            // densely (copied to id order on the host), and the largest dense parameter gradient (ApplyGradients).
            long hostFloats = 0, hostLongs = 0;
            foreach (var node in plan.Graph.Nodes.Where(n => n.Kind == OpKind.SparseRowGradient))
            {
                for (int i = 0; i < node.Inputs.Count; i += 2)
                {
                    hostLongs = System.Math.Max(hostLongs, plan.TypeOf(node.Inputs[i]).Shape.Capacity);
                    hostFloats = System.Math.Max(hostFloats, plan.TypeOf(node.Inputs[i + 1]).Shape.Capacity);
                }
            }
            foreach (int id in plan.ParametersCopiedToIdOrder) hostFloats = System.Math.Max(hostFloats, plan.TypeOf(new ValueRef(id)).Shape.Capacity);
            if (plan.Gradients != null)
            {
                foreach (var t in plan.Gradients.Targets.Where(t => !t.Sparse && plan.Graph[t.Source].Kind == OpKind.Parameter))
                {
                    hostFloats = System.Math.Max(hostFloats, plan.TypeOf(t.Gradient).Shape.Capacity);
                }
            }
            _hostFloats = hostFloats;
            _hostLongs = hostLongs;
        }

        protected override string ProgramClass => "GpuProgram";

        private static long Align(long n) => (n + 15) / 16 * 16;

        /// <summary>The scratch slots a fused expression needs when evaluated into slot <paramref name="slot"/> (0: the
        /// destination itself): a left operand is computed in place, a computed right operand one slot further.</summary>
        private static int ScratchSlots(FusedExpression e, int slot)
        {
            if (e.IsOperand) return 0;
            int need = System.Math.Max(slot, ScratchSlots(e.Args[0], slot));
            if (e.Args.Count > 1) need = System.Math.Max(need, ScratchSlots(e.Args[1], slot + 1));
            if (e.Args.Count > 1 && !e.Args[1].IsOperand) need = System.Math.Max(need, slot + 1);
            return need;
        }

        public string Emit()
        {
            GeneratedFile.Write(_w, _spec, _version,
                new[] { "#pragma warning disable CS1591 // the program's members are described in the remarks of the graph class (CPU file)" },
                new string[0], EmitProgram);
            return _w.ToString();
        }

        private string ContextParameter => _plan.Parameters.Any(id => Graph[id].Attributes.String("name") == "gpu") ? ProgramNames.ReservedPrefix + "gpu" : "gpu";

        private void EmitProgram()
        {
            _w.Line("/// <summary>The graph compiled for an ILGPU accelerator (CUDA, or ILGPU's CPU accelerator): the CPU program's schedule,");
            _w.Line("/// one device op per step. Parameters live on the device; the device workspace (" + _floatSlab + " floats, " + _longSlab + " longs) is");
            _w.Line("/// allocated once. Each call checks its inputs on the host, uploads them once and copies the outputs back.");
            _w.Line("/// Not thread-safe: use one program per thread. Dispose it (IDisposable) to free the device memory.</summary>");
            _w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"GraphSampling.Generators\", \"" + _version + "\")]");
            _w.Block("public sealed class GpuProgram : global::System.IDisposable", () =>
            {
                _w.Line("/// <summary>The largest batch a call may run (the batch declared in the graph).</summary>");
                _w.Line("public const int MaxBatch = " + _plan.MaxBatch + ";");
                _w.Line();
                _w.Line("private readonly " + Gpu + "GpuContext _gpu;");
                _w.Line("private readonly " + DeviceWorkspace + " _ws;");
                if (Graph.Nodes.Any(n => n.Kind == OpKind.MatMul)) _w.Line("private readonly " + Gpu + "Gemm.DeviceGemm _gemm;");
                if (Gradients != null) _w.Line("private int _gradientBatch;   // the batch of the last ForwardBackward, which the gradient views cover");
                _w.Line("private int _busy;            // 1 while a call runs (CallGuard)");
                _w.Line();
                _w.Line("/// <summary>Check float inputs for NaN and infinities before running (on by default).</summary>");
                _w.Line("public bool CheckInputs { get; set; } = true;");
                EmitConstructor();
                EmitParameters();
                EmitGradientMembers();
                EmitPublicMethods();
                EmitApplyGradients();
                EmitDispose();
                _hostInputs = true;   // the checks read the caller's spans
                EmitValidate();
                _hostInputs = false;
                EmitUpload();
                EmitFillConstants();
                EmitRun(RunForwardMethod, 0, _plan.ForwardCount);
                if (Gradients != null) EmitRun(RunBackwardMethod, _plan.ForwardCount, Graph.Nodes.Count);
                EmitConstants();
            });
        }

        private void EmitConstructor()
        {
            var parameters = _plan.Parameters.Select(id => Graph[id]).ToList();
            string gpu = ContextParameter;
            _w.Line();
            _w.Line("/// <summary>Creates the program on <paramref name=\"" + gpu + "\"/>: " + (parameters.Count > 0 ? "each parameter table new (zeros) or shared, then uploaded" : "no parameters")
                + ", the device workspace allocated" + (_plan.ConstantNodes.Count > 0 ? ", constants filled once" : "") + ".</summary>");
            _w.Line("/// <param name=\"" + gpu + "\">The device every buffer and kernel of the program lives on.</param>");
            foreach (var p in parameters)
            {
                string name = p.Attributes.String("name");
                _w.Line("/// <param name=\"" + CSharpNames.Parameter(name).TrimStart('@') + "\">A host table to use instead of a new one (a CpuProgram's '" + name
                    + "', say): it must have the declared layout; its values are uploaded now, and ApplyGradients keeps it up to date.</param>");
            }
            string signature = string.Join("", parameters.Select(p => ", " + Buffers + "ParameterTable? " + CSharpNames.Parameter(p.Attributes.String("name")) + " = null"));
            _w.Block("public GpuProgram(" + Gpu + "GpuContext " + gpu + signature + ")", () =>
            {
                _w.Line("global::System.ArgumentNullException.ThrowIfNull(" + gpu + ");");
                _w.Line("_gpu = " + gpu + ";");
                _w.Line("_ws = new " + DeviceWorkspace + "(" + gpu + ", " + _floatSlab + ", " + _longSlab + ", " + _hostFloats + ", " + _hostLongs + ");");
                if (Graph.Nodes.Any(n => n.Kind == OpKind.MatMul)) _w.Line("_gemm = new " + Gpu + "Gemm.DeviceGemm(" + gpu + ");");
                foreach (var p in parameters)
                {
                    var a = p.Attributes;
                    var dims = a.Ints("dims");
                    string name = a.String("name");
                    _w.Line("this." + CSharpNames.Property(name) + " = new " + DeviceTable + "(" + gpu + ", " + Buffers + "ParameterTable.SharedOrNew(" + CSharpNames.Parameter(name) + ", "
                        + CSharpNames.StringLiteral(CSharpNames.Parameter(name).TrimStart('@')) + ", " + CSharpNames.StringLiteral(name) + ", "
                        + dims[0] + ", " + (dims.Count > 1 ? dims[1] : 1) + ", " + a.Int("shards") + ", global::GraphSampling.Partition." + (Partition)a.Int("partition") + "), 0);");
                }
                if (_plan.ConstantNodes.Count > 0) _w.Line("this." + FillConstantsMethod + "();");
            });
        }

        private void EmitParameters()
        {
            foreach (int id in _plan.Parameters)
            {
                var a = Graph[id].Attributes;
                var dims = a.Ints("dims");
                string name = a.String("name");
                _w.Line();
                _w.Line("/// <summary>Parameter '" + name + "' [" + string.Join(", ", dims) + "], " + a.Int("shards") + " shard(s), " + (Partition)a.Int("partition")
                    + ", on the device (its host table is <c>.Table</c>; call <c>.Upload()</c> after changing it).</summary>");
                _w.Line("public " + DeviceTable + " " + CSharpNames.Property(name) + " { get; }");
            }
        }

        private void EmitGradientMembers()
        {
            if (Gradients == null) return;
            foreach (var target in Gradients.Targets)
            {
                var type = _plan.TypeOf(target.Gradient);
                _w.Line();
                string prop = GradientProperty(target);
                if (target.Sparse)
                {
                    var dims = type.Shape.Dims;
                    _w.Line("/// <summary>Gradient of '" + target.Name + "' from the last ForwardBackward (on the host): unique ids (ascending) and one summed row each.</summary>");
                    _w.Line("public " + Buffers + "SparseRowGradient " + prop + " { get; } = new " + Buffers + "SparseRowGradient("
                        + CSharpNames.StringLiteral(target.Name) + ", " + dims[0] + ", " + (dims.Count > 1 ? dims[1] : 1) + ", " + CSharpNames.Int(System.Math.Min(dims[0], MaxRowIds(target))) + ");");
                }
                else
                {
                    _w.Line("/// <summary>Dense gradient of '" + target.Name + "' " + type.Shape + " from the last ForwardBackward, on the device" + (type.Shape.Batched ? " (live rows only)" : "") + ".</summary>");
                    _w.Line("public " + Gpu + "Programs.DeviceVector " + prop + " => new " + Gpu + "Programs.DeviceVector(" + SpanExpression(target.Gradient, "_gradientBatch") + ", "
                        + CSharpNames.StringLiteral(target.Name + " gradient") + ");");
                }
            }
        }

        private void EmitPublicMethods()
        {
            string inputs = InputParameters();
            string args = InputArguments();
            string sep = inputs.Length > 0 ? ", " : "";
            string outputs = OutputParameters(), outputArgs = OutputArguments();
            string flag(bool on) => _plan.HasGradientsInForward ? ", " + WithGradients + ": " + (on ? "true" : "false") : "";

            _w.Line();
            _w.Line("/// <summary>Runs the graph on <paramref name=\"batch\"/> rows and writes " + OutputsDescription() + ".");
            _w.Line("/// The gradients of the last ForwardBackward are left as they were.</summary>");
            _w.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
            _w.Block("public void Forward(int batch" + sep + inputs + ", " + outputs + ")", () => GuardedBody(() =>
            {
                _w.Line(ValidateMethod + "(batch" + sep + args + ", " + outputArgs + ");");
                _w.Line(UploadMethod + "(batch" + sep + args + ");");
                _w.Line(RunForwardMethod + "(batch" + flag(false) + ");");
                _w.Line(CopyOutputsMethod + "(batch, " + outputArgs + ");");
            }));

            if (Gradients == null)
            {
                EmitCopyOutputs();
                return;
            }
            var seed = Gradients.Seed;
            string differentiated = Graph.ExtraOutputs.Count == 0 ? "output element" : "element of <paramref name=\"" + Graph.OutputName + "\"/>, the other outputs not differentiated";
            _w.Line();
            _w.Line("/// <summary>Forward, then backward with an upstream gradient of 1 for every " + differentiated + " (the gradient of the summed loss).</summary>");
            _w.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
            _w.Block("public void ForwardBackward(int batch" + sep + inputs + ", " + outputs + ")", () => GuardedBody(() =>
            {
                _w.Line(ValidateMethod + "(batch" + sep + args + ", " + outputArgs + ");");
                _w.Line(DeviceOps + "Fill(_gpu, " + SpanExpression(seed, "batch") + ", 1f);");
                _w.Line(RunForwardBackwardMethod + "(batch" + sep + args + ", " + outputArgs + ");");
            }));
            _w.Line();
            _w.Line("/// <summary>Forward, then backward from <paramref name=\"outputGradient\"/> (the upstream gradient of each element of <paramref name=\"" + Graph.OutputName + "\"/>).</summary>");
            _w.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
            _w.Block("public void ForwardBackward(int batch" + sep + inputs + ", " + outputs + ", global::System.ReadOnlySpan<float> outputGradient)", () => GuardedBody(() =>
            {
                _w.Line(ValidateMethod + "(batch" + sep + args + ", " + outputArgs + ");");
                _w.Line(Ops + "Checks.Length(outputGradient, " + OutputLength("batch") + ", \"outputGradient\");");
                _w.Line("if (CheckInputs) " + Ops + "Checks.Finite(outputGradient, " + MessageRowWidth(Graph.Output) + ", \"outputGradient\");");
                _w.Line(DeviceWorkspace + ".Upload(outputGradient, " + SpanExpression(seed, "batch") + ", \"outputGradient\");");
                _w.Line(RunForwardBackwardMethod + "(batch" + sep + args + ", " + outputArgs + ");");
            }));
            _w.Line();
            _w.Block("private void " + RunForwardBackwardMethod + "(int batch" + sep + inputs + ", " + outputs + ")", () =>
            {
                _w.Line(UploadMethod + "(batch" + sep + args + ");");
                _w.Line(RunForwardMethod + "(batch" + flag(true) + ");");
                _w.Line(RunBackwardMethod + "(batch);");
                _w.Line("_gradientBatch = batch;");
                _w.Line(CopyOutputsMethod + "(batch, " + outputArgs + ");");
            });
            EmitCopyOutputs();
        }

        /// <summary>Waits for the device, reports any error its ops recorded, then copies every output's live rows back.</summary>
        private void EmitCopyOutputs()
        {
            _w.Line();
            _w.Block("private void " + CopyOutputsMethod + "(int batch, " + OutputParameters() + ")", () =>
            {
                _w.Line(DeviceOps + "ThrowIfFailed(_gpu);");
                foreach (int id in _plan.Parameters.Where(id => Graph.Nodes.Any(n => n.Kind == OpKind.EmbeddingLookup && n.Inputs[0].Node == id)))
                {
                    _w.Line(CSharpNames.Property(Graph[id].Attributes.String("name")) + ".ThrowIfBadId();");
                }
                foreach (var o in Graph.AllOutputs)
                {
                    _w.Line(DeviceWorkspace + ".Download(" + SpanExpression(o.Value, "batch") + ", " + CSharpNames.Parameter(o.Name) + ", " + CSharpNames.StringLiteral(o.Name) + ");");
                }
            });
        }

        /// <summary>Uploads every input's live rows into its device copy (the checks have run).</summary>
        private void EmitUpload()
        {
            string inputs = InputParameters();
            _w.Line();
            _w.Block("private void " + UploadMethod + "(int batch" + (inputs.Length > 0 ? ", " + inputs : "") + ")", () =>
            {
                foreach (var n in UserInputs)
                {
                    string p = CSharpNames.Parameter(n.Attributes.String("name"));
                    _w.Line(DeviceWorkspace + ".Upload(" + p + ", " + SpanExpression(new ValueRef(n.Id), "batch") + ", " + ArgumentName(n) + ");");
                }
            });
        }

        /// <summary>ApplyGradients(optimizer), v1: the host tables are the master copy. Each gradient is applied to its host
        /// table by the CPU optimizer (dense gradients downloaded once into the staging array), then the table is uploaded.</summary>
        private void EmitApplyGradients()
        {
            if (Gradients == null) return;
            var parameters = Gradients.Targets.Where(t => Graph[t.Source].Kind == OpKind.Parameter).ToList();
            if (parameters.Count == 0) return;
            string optimizer = "global::GraphSampling.Runtime.Optimizers.Optimizer";
            string Staged(GradientTarget t)
            {
                var shape = _plan.TypeOf(t.Gradient).Shape;
                return "_ws.HostFloats(" + shape.Capacity + ")";
            }
            _w.Line();
            _w.Line("/// <summary>One optimizer step on every parameter, from the gradients of the last ForwardBackward: call");
            _w.Line("/// ForwardBackward, then this. v1 updates the host tables with the CPU optimizer and uploads them again.</summary>");
            _w.Block("public void ApplyGradients(" + optimizer + " optimizer)", () =>
            {
                _w.Line("global::System.ArgumentNullException.ThrowIfNull(optimizer);");
                GuardedBody(() =>
                {
                    _w.Line("double _squares = 0;");
                    _w.Block("if (optimizer.NeedsGlobalNorm)", () =>
                    {
                        foreach (var t in parameters)
                        {
                            if (t.Sparse)
                            {
                                _w.Line("_squares += " + optimizer + ".SquaredNorm(" + GradientProperty(t) + ");");
                            }
                            else
                            {
                                _w.Line(GradientProperty(t) + ".CopyTo(" + Staged(t) + ");");
                                _w.Line("_squares += " + optimizer + ".SquaredNorm(" + Staged(t) + ");");
                            }
                        }
                    });
                    _w.Line("optimizer.BeginStep(_squares);");
                    foreach (var t in parameters)
                    {
                        string table = CSharpNames.Property(t.Name);
                        if (t.Sparse)
                        {
                            _w.Line("optimizer.Update(" + table + ".Table, " + GradientProperty(t) + ");");
                        }
                        else
                        {
                            _w.Line(GradientProperty(t) + ".CopyTo(" + Staged(t) + ");");
                            _w.Line("optimizer.Update(" + table + ".Table, " + Staged(t) + ");");
                        }
                        _w.Line(table + ".Upload();");
                    }
                    _w.Line("optimizer.EndStep();");
                });
            });
        }

        private void EmitDispose()
        {
            _w.Line();
            _w.Line("/// <summary>Frees the program's device memory (tables, workspace).</summary>");
            _w.Block("void global::System.IDisposable.Dispose()", () =>
            {
                foreach (int id in _plan.Parameters) _w.Line(CSharpNames.Property(Graph[id].Attributes.String("name")) + ".Dispose();");
                if (Graph.Nodes.Any(n => n.Kind == OpKind.MatMul)) _w.Line("_gemm.Dispose();");
                _w.Line("_ws.Dispose();");
            });
        }

        private void EmitRun(string method, int from, int to)
        {
            _w.Line();
            _declared.Clear();
            string flag = method == RunForwardMethod && _plan.HasGradientsInForward ? ", bool " + WithGradients : "";
            _w.Block("private void " + method + "(int batch" + flag + ")", () =>
            {
                for (int id = from; id < to; id++)
                {
                    if (id > from) _w.Line();
                    EmitStep(Graph[id]);
                }
            });
        }

        private void EmitFillConstants()
        {
            if (_plan.ConstantNodes.Count == 0) return;
            _w.Line();
            _declared.Clear();
            _fillingConstants = true;
            _w.Block("private void " + FillConstantsMethod + "()", () =>
            {
                // Only batched constants' steps name the batch (an unread local would be CS0219 under warnings-as-errors).
                if (ConstantsUseBatch) _w.Line("int batch = MaxBatch;");
                foreach (int id in _plan.ConstantNodes)
                {
                    _w.Line();
                    EmitStep(Graph[id]);
                }
            });
            _fillingConstants = false;
        }
    }
}
