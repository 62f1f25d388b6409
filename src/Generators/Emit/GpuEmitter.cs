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
    /// run on the host before anything is uploaded. Samplers, sparse row gradients and optimizer steps run on the
    /// device too (docs/gpu.md, "Generated GpuProgram").
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
        /// <summary>Ids 0 … n − 1 in the long slab (filled once), for the id-order gather of a Mod-sharded table used densely.</summary>
        private readonly long _ascendingOffset, _ascendingLength;
        private const string DeviceOptimizer = Gpu + "Optimizers.DeviceOptimizer";
        private const string DeviceSparseGradient = Gpu + "Buffers.DeviceSparseRowGradient";
        private const string DeviceSampler = Gpu + "Sampling.DeviceCandidateSampler";

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
            foreach (var node in plan.Graph.Nodes.Where(n => plan.IsReadFromTable(n.Id) || (plan.RowGradientTaking(n.Id) >= 0 && !plan.RowGradientChecksIds(n.Id))))
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
            // Tables the plan copies to id order for dense use: gathered on the device by ids 0 … rows − 1.
            foreach (int id in plan.ParametersCopiedToIdOrder) _ascendingLength = System.Math.Max(_ascendingLength, plan.Graph[id].Attributes.Ints("dims")[0]);
            longs = Align(longs);
            _ascendingOffset = longs;
            longs += _ascendingLength;
            _floatSlab = floats;
            _longSlab = longs;

            // Host staging for ApplyGradients(Optimizer) (the CPU optimizer): a sparse gradient's unique ids and rows, a dense
            // gradient; allocated once.
            foreach (var t in plan.Gradients?.Targets.Where(t => plan.Graph[t.Source].Kind == OpKind.Parameter) ?? Enumerable.Empty<GradientTarget>())
            {
                var dims = plan.TypeOf(t.Gradient).Shape.Dims;
                long rows = t.Sparse ? System.Math.Min(dims[0], MaxRowIds(t)) : dims[0], width = dims.Count > 1 ? dims[1] : 1;
                _hostFloats = System.Math.Max(_hostFloats, rows * width);
                if (t.Sparse) _hostLongs = System.Math.Max(_hostLongs, rows);
            }
        }

        private readonly long _hostFloats, _hostLongs;

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
                EmitProgramMembers(
                    () =>
                    {
                        _w.Line("private readonly " + Gpu + "GpuContext _gpu;");
                        _w.Line("private readonly " + DeviceWorkspace + " _ws;");
                        if (Graph.Nodes.Any(n => n.Kind == OpKind.MatMul)) _w.Line("private readonly " + Gpu + "Gemm.DeviceGemm _gemm;");
                        foreach (var t in ParameterTargets().Where(t => t.Sparse)) _w.Line("private " + Buffers + "SparseRowGradient? " + HostField(t) + ";   // ApplyGradients(Optimizer): its host copy, made at the first such call");
                    },
                    () =>
                    {
                        EmitApplyGradients();
                        EmitHostApplyGradients();
                        EmitDispose();
                    },
                    () =>
                    {
                        _hostInputs = true;   // the checks read the caller's spans
                        EmitValidate();
                        _hostInputs = false;
                    },
                    EmitUpload);
            });
        }

        protected override void EmitConstructor()
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
                    + "', say): it must have the declared layout; its values are uploaded now; from then on the device copy is the one ApplyGradients updates (Download() copies it back).</param>");
            }
            string signature = string.Join("", parameters.Select(p => ", " + Buffers + "ParameterTable? " + CSharpNames.Parameter(p.Attributes.String("name")) + " = null"));
            _w.Block("public GpuProgram(" + Gpu + "GpuContext " + gpu + signature + ")", () =>
            {
                _w.Line("global::System.ArgumentNullException.ThrowIfNull(" + gpu + ");");
                _w.Line("_gpu = " + gpu + ";");
                _w.Line("_ws = new " + DeviceWorkspace + "(" + gpu + ", " + _floatSlab + ", " + _longSlab + ", " + _hostFloats + ", " + _hostLongs + ");");
                if (_ascendingLength > 0) _w.Line(Gpu + "Programs.DeviceIds.FillAscending(_ws.Longs(" + _ascendingOffset + ", " + _ascendingLength + "));");
                if (Graph.Nodes.Any(n => n.Kind == OpKind.MatMul)) _w.Line("_gemm = new " + Gpu + "Gemm.DeviceGemm(" + gpu + ");");
                foreach (var p in parameters)
                {
                    _w.Line("this." + CSharpNames.Property(p.Attributes.String("name")) + " = new " + DeviceTable + "(" + gpu + ", " + SharedOrNewTable(p) + ", 0);");
                }
                foreach (var n in Samplers)
                {
                    var a = n.Attributes;
                    var (seed, stream) = SamplerSeeds(n);
                    string kind = Gpu + "Sampling.DeviceSamplerKind." + (n.Kind == OpKind.UniformCandidateSampler ? "Uniform" : "LogUniform");
                    _w.Line("this." + SamplerProperty(n) + " = new " + DeviceSampler + "(" + gpu + ", " + kind + ", " + CSharpNames.Long(a.Int("rangeMax")) + ", " + Bool(a.Bool("unique")) + ", "
                        + seed + ", " + stream + ", " + CSharpNames.Int(a.Int("numSampled")) + ", " + _plan.TypeOf(n.Inputs[0]).Shape.Capacity + ", name: " + CSharpNames.StringLiteral(SamplerProperty(n)) + ");");
                }
                if (Gradients != null)
                {
                    foreach (var t in Gradients.Targets.Where(t => t.Sparse))
                    {
                        var dims = _plan.TypeOf(t.Gradient).Shape.Dims;
                        _w.Line("this." + GradientProperty(t) + " = new " + DeviceSparseGradient + "(" + gpu + ", " + CSharpNames.StringLiteral(t.Name) + ", " + dims[0] + ", " + (dims.Count > 1 ? dims[1] : 1) + ", " + MaxRowIds(t) + ");");
                    }
                }
                if (_plan.ConstantNodes.Count > 0) _w.Line("this." + FillConstantsMethod + "();");
            });
        }

        private static string HostField(GradientTarget t) => ProgramNames.ReservedPrefix + "host" + GradientProperty(t);

        /// <summary>The Step counter and one device sampler per sampler node, with the CPU program's property names.</summary>
        protected override void EmitSamplers()
        {
            if (!Samplers.Any()) return;
            EmitStepProperty();
            foreach (var n in Samplers)
            {
                var a = n.Attributes;
                _w.Line();
                _w.Line("/// <summary>The sampler of '" + (n.Name ?? "t" + n.Id) + "' (" + n.Kind + ", seed " + a.Int("seed") + ") on the device: the CpuProgram's candidates for the same Step.</summary>");
                _w.Line("public " + DeviceSampler + " " + SamplerProperty(n) + " { get; }");
            }
        }

        protected override void EmitParameters() =>
            EmitParameterProperties(DeviceTable, ", on the device (its host table is <c>.Table</c>; call <c>.Upload()</c> after changing it)");

        protected override void EmitSparseGradientMember(GradientTarget target, string property, long rows, long width, string maxEntries)
        {
            _w.Line("/// <summary>Gradient of '" + target.Name + "' from the last ForwardBackward, on the device: unique ids (ascending) and one summed row each.</summary>");
            _w.Line("public " + DeviceSparseGradient + " " + property + " { get; }");
        }

        protected override void EmitDenseGradientMember(GradientTarget target, string property, Shape shape)
        {
            _w.Line("/// <summary>Dense gradient of '" + target.Name + "' " + shape + " from the last ForwardBackward, on the device" + (shape.Batched ? " (live rows only)" : "") + ".</summary>");
            _w.Line("public " + Gpu + "Programs.DeviceVector " + property + " => new " + Gpu + "Programs.DeviceVector(" + SpanExpression(target.Gradient, "_gradientBatch") + ", "
                + CSharpNames.StringLiteral(target.Name + " gradient") + ");");
        }

        protected override void EmitForwardBody(string sep, string args, string outputArgs)
        {
            _w.Line(UploadMethod + "(batch" + sep + args + ");");
            _w.Line(RunForwardMethod + "(batch" + WithGradientsArgument(false) + ");");
            _w.Line(CopyOutputsMethod + "(batch, " + outputArgs + ");");
            if (Samplers.Any()) _w.Line("Step++;");
        }

        protected override string FillSeedLine(string seed) => DeviceOps + "Fill(_gpu, " + seed + ", 1f);";

        protected override string CopyOutputGradientLine(string seed) => DeviceWorkspace + ".Upload(outputGradient, " + seed + ", \"outputGradient\");";

        protected override void EmitForwardBackwardBody(string sep, string args, string outputArgs)
        {
            _w.Line(UploadMethod + "(batch" + sep + args + ");");
            _w.Line(RunForwardMethod + "(batch" + WithGradientsArgument(true) + ");");
            _w.Line(RunBackwardMethod + "(batch);");
            _w.Line("_gradientBatch = batch;");
            _w.Line(CopyOutputsMethod + "(batch, " + outputArgs + ");");
            if (Samplers.Any()) _w.Line("Step++;");
        }

        protected override void EmitAfterPublicMethods() => EmitCopyOutputs();

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

        /// <summary>ApplyGradients(DeviceOptimizer): the device tables are the master copy and are updated in place, sparse
        /// gradients row by row, dense ones by the optimizer's dense update (one launch over every element), with the CPU
        /// optimizer's arithmetic. The host tables are left as they were (Download() reads a table back).</summary>
        private void EmitApplyGradients()
        {
            EmitApplyGradients(DeviceOptimizer, new[]
            {
                "/// <summary>One optimizer step on every parameter, on the device, from the gradients of the last ForwardBackward: call",
                "/// ForwardBackward, then this. The device tables change (the CPU optimizer's floats); their host tables do not (call Download()).</summary>",
            },
            t => _w.Line("_squares += " + (t.Sparse ? GradientProperty(t) + ".SquaredNorm()" : "optimizer.SquaredNorm(" + GradientProperty(t) + ".View)") + ";"),
            t => _w.Line("optimizer.Update(" + CSharpNames.Property(t.Name) + ", " + GradientProperty(t) + (t.Sparse ? "" : ".View") + ");"));
        }

        /// <summary>ApplyGradients(Optimizer), for a CPU optimizer (every one has a device version now; this is kept for
        /// optimizers written for the host): each
        /// table is downloaded (the device copy is the master), updated on the host by the CPU optimizer from the gradients
        /// copied to the host (a sparse one's unique ids and rows, a dense one whole), and uploaded again.</summary>
        private void EmitHostApplyGradients()
        {
            string optimizer = "global::GraphSampling.Runtime.Optimizers.Optimizer";
            string Staged(GradientTarget t) => "_ws.HostFloats(" + _plan.TypeOf(t.Gradient).Shape.Capacity + ")";
            EmitApplyGradients(optimizer, new[]
            {
                "/// <summary>One step of a CPU optimizer on every parameter, from the gradients of the last ForwardBackward: each table is",
                "/// downloaded, updated on the host and uploaded again (correct but slow: use a DeviceOptimizer where there is one).</summary>",
            },
            t =>
            {
                if (t.Sparse)
                {
                    _w.Line("_squares += " + GradientProperty(t) + ".SquaredNorm();");
                    return;
                }
                _w.Line(GradientProperty(t) + ".CopyTo(" + Staged(t) + ");");
                _w.Line("_squares += " + optimizer + ".SquaredNorm(" + Staged(t) + ");");
            },
            t =>
            {
                string table = CSharpNames.Property(t.Name);
                _w.Line(table + ".Download();");
                if (t.Sparse)
                {
                    var dims = _plan.TypeOf(t.Gradient).Shape.Dims;
                    long rows = System.Math.Min(dims[0], MaxRowIds(t)), width = dims.Count > 1 ? dims[1] : 1;
                    string host = HostField(t);
                    _w.Line("int " + host + "Count = " + GradientProperty(t) + ".CopyToHost(_ws.HostLongs(" + rows + "), _ws.HostFloats(" + rows * width + "));");
                    _w.Line(host + " ??= new " + Buffers + "SparseRowGradient(" + CSharpNames.StringLiteral(t.Name) + ", " + dims[0] + ", " + width + ", " + rows + ");");
                    _w.Line(host + ".Begin();");
                    _w.Line(host + ".AddIds(_ws.HostLongs(" + host + "Count));");
                    _w.Line(host + ".Seal();");
                    _w.Line(host + ".AddRows(_ws.HostLongs(" + host + "Count), _ws.HostFloats(" + host + "Count * " + width + "));");
                    _w.Line("optimizer.Update(" + table + ".Table, " + host + ");");
                }
                else
                {
                    _w.Line(GradientProperty(t) + ".CopyTo(" + Staged(t) + ");");
                    _w.Line("optimizer.Update(" + table + ".Table, " + Staged(t) + ");");
                }
                _w.Line(table + ".Upload();");
            });
        }

        private void EmitDispose()
        {
            _w.Line();
            _w.Line("/// <summary>Frees the program's device memory (tables, samplers, gradients, workspace).</summary>");
            _w.Block("void global::System.IDisposable.Dispose()", () =>
            {
                foreach (int id in _plan.Parameters) _w.Line(CSharpNames.Property(Graph[id].Attributes.String("name")) + ".Dispose();");
                foreach (var n in Samplers) _w.Line(SamplerProperty(n) + ".Dispose();");
                if (Gradients != null) foreach (var t in Gradients.Targets.Where(t => t.Sparse)) _w.Line(GradientProperty(t) + ".Dispose();");
                if (Graph.Nodes.Any(n => n.Kind == OpKind.MatMul)) _w.Line("_gemm.Dispose();");
                _w.Line("_ws.Dispose();");
            });
        }

        protected override void EmitRun(string method, int from, int to)
        {
            _w.Line();
            _declared.Clear();
            _w.Block("private void " + method + "(int batch" + WithGradientsParameter(method) + ")", () => EmitSteps(from, to));
        }
    }
}
