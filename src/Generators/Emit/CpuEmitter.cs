using System.Collections.Generic;
using System.Linq;
using GraphSampling.Autodiff;
using GraphSampling.Generators.Models;
using GraphSampling.Ir;
using GraphSampling.Naming;
using GraphSampling.Planning;
using GraphSampling.Schema;

namespace GraphSampling.Generators.Emit
{
    /// <summary>
    /// Writes {Graph}.Cpu.g.cs: a nested <c>CpuProgram</c> class with the graph's parameters, a workspace sized from the
    /// buffer plan, input checks, and Forward / ForwardBackward specialised to the graph's constant shapes. Each IR node
    /// becomes one commented call into GraphSampling.Runtime.Ops (CpuEmitter.Steps.cs).
    /// </summary>
    internal sealed partial class CpuEmitter : ProgramEmitter
    {
        // allowUnsafe: [SkipLocalsInit] needs /unsafe; without it the attribute is left out.
        public CpuEmitter(GraphHeader spec, ProgramPlan plan, string version, bool allowUnsafe)
            : base(spec, plan, version, allowUnsafe)
        {
        }

        protected override string ProgramClass => "CpuProgram";

        public string Emit()
        {
            GeneratedFile.Write(_w, _spec, _version,
                new[] { "#pragma warning disable CS1591 // the program's members are described in the remarks of the graph class" },
                GraphDescriber.Describe(_plan), EmitProgram, EmitFusedStructs);
            return _w.ToString();
        }

        /// <summary>The operator struct of each fused group, by name (written once, at the end of the file).</summary>
        private readonly List<(string Name, FusedGroup Group)> _fusedStructs = new List<(string, FusedGroup)>();

        private string FusedStruct(FusedGroup group)
        {
            string name = "Fused_t" + group.Root;
            if (!_fusedStructs.Any(f => f.Name == name)) _fusedStructs.Add((name, group));
            return "global::GraphSampling.Generated." + name;
        }

        /// <summary>Each fused group's expression as a TensorPrimitives-style operator: the ops in the graph's order, so the
        /// fused pass rounds exactly as the unfused steps would.</summary>
        private void EmitFusedStructs()
        {
            if (_fusedStructs.Count == 0) return;
            _w.Line();
            _w.Block("namespace GraphSampling.Generated", () =>
            {
                bool first = true;
                foreach (var (name, group) in _fusedStructs)
                {
                    if (!first) _w.Line();
                    first = false;
                    _w.Line("/// <summary>t" + group.Root + ": " + string.Join(", ", group.Nodes.Select(id => "t" + id + " " + Graph[id].Kind)) + ".</summary>");
                    _w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"GraphSampling.Generators\", \"" + _version + "\")]");
                    _w.Block("file readonly struct " + name + " : " + Cpu + "IFusedOperator", () =>
                    {
                        _w.Line("public static float Invoke(float a, float b, float c, float d) => " + Render(group.Expression, scalar: true) + ";");
                        foreach (int width in new[] { 128, 256, 512 })
                        {
                            string t = "global::System.Runtime.Intrinsics.Vector" + width + "<float>";
                            _w.Line("public static " + t + " Invoke(" + t + " a, " + t + " b, " + t + " c, " + t + " d) => " + Render(group.Expression, scalar: false) + ";");
                        }
                    });
                }
            });
        }

        private static string Render(FusedExpression e, bool scalar)
        {
            if (e.IsOperand) return ((char)('a' + e.Operand)).ToString();
            string x = Render(e.Args[0], scalar);
            switch (e.Op)
            {
                case FusedOp.Add: return "(" + x + " + " + Render(e.Args[1], scalar) + ")";
                case FusedOp.Subtract: return "(" + x + " - " + Render(e.Args[1], scalar) + ")";
                case FusedOp.Multiply: return "(" + x + " * " + Render(e.Args[1], scalar) + ")";
                case FusedOp.Divide: return "(" + x + " / " + Render(e.Args[1], scalar) + ")";
                case FusedOp.Log: return Cpu + "VectorMath.Log(" + x + ")";   // the scalar overload rounds as the lanes do
                default: return "(-" + x + ")";
            }
        }

        private void EmitProgram()
        {
            _w.Line("/// <summary>The graph compiled for the CPU: owns the parameters and a workspace sized once; Forward and");
            _w.Line("/// ForwardBackward allocate nothing. Not thread-safe: use one program per thread.</summary>");
            _w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"GraphSampling.Generators\", \"" + _version + "\")]");
            _w.Block("public sealed class CpuProgram : " + ProgramState, () =>
            {
                EmitProgramMembers(
                    () => _w.Line("private readonly " + Buffers + "Workspace _ws = new " + Buffers + "Workspace(" + _plan.FloatWorkspace + ", " + _plan.LongWorkspace + ");"),
                    () =>
                    {
                        EmitApplyGradients();
                        EmitProgramState();
                    },
                    EmitValidate,
                    () => { });
            });
        }

        /// <summary>The constructor: each parameter table shared from another program when given (ParameterTable.SharedOrNew
        /// checks its layout), else new; constants filled once; sampler records sized for the batch capacity.</summary>
        protected override void EmitConstructor()
        {
            var parameters = _plan.Parameters.Select(id => Graph[id]).ToList();
            if (_plan.ConstantNodes.Count == 0 && !Samplers.Any() && parameters.Count == 0) return;
            _w.Line();
            bool constants = _plan.ConstantNodes.Count > 0, samplers = Samplers.Any();
            if (parameters.Count > 0)
            {
                // Kept beside the optional-argument one for new() constraints and reflection.
                _w.Line("/// <summary>Creates the program with new parameter tables, all zero.</summary>");
                _w.Line("public CpuProgram() : this(" + string.Join(", ", parameters.Select(_ => "null")) + ") { }");
                _w.Line();
            }
            _w.Line("/// <summary>Creates the program: " + (parameters.Count > 0 ? "parameters zero, or shared" : "no parameters") + (constants ? ", constants filled once" : "")
                + (samplers ? ", each sampler's record of its last call sized for the batch capacity (so no call allocates)" : "") + ".</summary>");
            foreach (var p in parameters)
            {
                string name = p.Attributes.String("name");
                _w.Line("/// <param name=\"" + CSharpNames.Parameter(name).TrimStart('@') + "\">A table to share instead of a new one (another program's '" + name
                    + "', say): used as is, no copy; it must have the declared layout.</param>");
            }
            string signature = string.Join(", ", parameters.Select(p => Buffers + "ParameterTable? " + CSharpNames.Parameter(p.Attributes.String("name")) + " = null"));
            _w.Block("public CpuProgram(" + signature + ")", () =>
            {
                foreach (var p in parameters)
                {
                    // "this.": a parameter named "W" is both the argument and the property.
                    _w.Line("this." + CSharpNames.Property(p.Attributes.String("name")) + " = " + SharedOrNewTable(p) + ";");
                }
                if (_plan.ConstantNodes.Count > 0) _w.Line("this." + FillConstantsMethod + "();");
                foreach (var n in Samplers)
                {
                    var types = (Candidates: _plan.TypeOf(new ValueRef(n.Id)).Shape, True: _plan.TypeOf(new ValueRef(n.Id, 1)).Shape);
                    _w.Line("this." + SamplerProperty(n) + ".ReserveLastCall(" + types.Candidates.Capacity + ", " + types.True.Capacity + ");");
                }
            });
        }

        protected override void EmitParameters() => EmitParameterProperties(Buffers + "ParameterTable", "");

        protected override void EmitSamplers()
        {
            if (!Samplers.Any()) return;
            EmitStepProperty();
            foreach (var n in Samplers)
            {
                var a = n.Attributes;
                var (seed, stream) = SamplerSeeds(n);
                string type = "global::GraphSampling.Runtime.Sampling." + n.Kind.ToString().Replace("CandidateSampler", "Sampler");
                string args;
                switch (n.Kind)
                {
                    case OpKind.AllCandidateSampler:
                        type = "global::GraphSampling.Runtime.Sampling.AllCandidateSampler";
                        args = CSharpNames.Int(a.Int("numSampled")) + ", " + Bool(a.Bool("unique")) + ", " + seed + ", " + stream;
                        break;
                    case OpKind.FixedUnigramCandidateSampler:
                    {
                        var unigrams = a.Get("unigrams").Doubles;
                        string file = a.String("vocabFile");
                        args = CSharpNames.Long(a.Int("rangeMax")) + ", " + Bool(a.Bool("unique")) + ", " + seed + ", " + stream
                            + ", vocabFile: " + (file.Length == 0 ? "null" : CSharpNames.StringLiteral(file))
                            + ", unigrams: " + (unigrams.Count == 0 ? "default" : FloatArray(unigrams))
                            + ", distortion: " + CSharpNames.Float(a.Double("distortion")) + ", numReservedIds: " + CSharpNames.Int(a.Int("numReservedIds"))
                            + ", numShards: " + CSharpNames.Int(a.Int("numShards")) + ", shard: " + CSharpNames.Int(a.Int("shard"));
                        break;
                    }
                    default:
                        args = CSharpNames.Long(a.Int("rangeMax")) + ", " + Bool(a.Bool("unique")) + ", " + seed + ", " + stream;
                        break;
                }
                _w.Line();
                _w.Line("/// <summary>The sampler of '" + (n.Name ?? "t" + n.Id) + "' (" + n.Kind + ", seed " + a.Int("seed") + ").</summary>");
                string init = a.Flag("raggedTrueClasses") ? " { RaggedTrueClasses = true }" : "";
                _w.Line("public " + type + " " + SamplerProperty(n) + " { get; } = new " + type + "(" + args + ")" + init + ";");
            }
        }

        protected override void EmitSparseGradientMember(GradientTarget target, string property, long rows, long width, string maxEntries)
        {
            _w.Line("/// <summary>Gradient of '" + target.Name + "' from the last ForwardBackward: unique ids (ascending) and one summed row each.</summary>");
            _w.Line("public " + Buffers + "SparseRowGradient " + property + " { get; } = new " + Buffers + "SparseRowGradient("
                + CSharpNames.StringLiteral(target.Name) + ", " + rows + ", " + width + ", " + maxEntries + ");");
        }

        protected override void EmitDenseGradientMember(GradientTarget target, string property, Shape shape)
        {
            _w.Line("/// <summary>Dense gradient of '" + target.Name + "' " + shape + " from the last ForwardBackward" + (shape.Batched ? " (live rows only)" : "") + ".</summary>");
            _w.Line("public global::System.ReadOnlySpan<float> " + property + " => " + SpanExpression(target.Gradient, "_gradientBatch") + ";");
        }

        /// <summary>Copies every output's live rows to its span.</summary>
        private void CopyOutputs()
        {
            foreach (var o in Graph.AllOutputs) _w.Line(SpanExpression(o.Value, "batch") + ".CopyTo(" + CSharpNames.Parameter(o.Name) + ");");
        }

        protected override void EmitForwardBody(string sep, string args, string outputArgs)
        {
            _w.Line(RunForwardMethod + "(batch" + sep + args + WithGradientsArgument(false) + ");");
            CopyOutputs();
            if (Samplers.Any()) _w.Line("Step++;");
        }

        protected override string FillSeedLine(string seed) => seed + ".Fill(1f);";

        protected override string CopyOutputGradientLine(string seed) => "outputGradient.CopyTo(" + seed + ");";

        protected override void EmitForwardBackwardBody(string sep, string args, string outputArgs)
        {
            _w.Line(RunForwardMethod + "(batch" + sep + args + WithGradientsArgument(true) + ");");
            _w.Line(RunBackwardMethod + "(batch" + sep + args + ");");
            _w.Line("_gradientBatch = batch;");
            CopyOutputs();
            if (Samplers.Any()) _w.Line("Step++;");
        }

        /// <summary>ApplyGradients(optimizer): one optimizer step over every parameter's gradient of the last
        /// ForwardBackward (inputs' gradients are not parameters), with the global norm when the optimizer clips.</summary>
        private void EmitApplyGradients()
        {
            string optimizer = "global::GraphSampling.Runtime.Optimizers.Optimizer";
            EmitApplyGradients(optimizer, new[]
            {
                "/// <summary>One optimizer step on every parameter, from the gradients of the last ForwardBackward: call",
                "/// ForwardBackward, then this (sparse gradients update only their rows; see the optimizer for its semantics).</summary>",
            },
            t => _w.Line("_squares += " + optimizer + ".SquaredNorm(" + GradientProperty(t) + ");"),
            t => _w.Line("optimizer.Update(" + CSharpNames.Property(t.Name) + ", " + GradientProperty(t) + ");"));
        }

        private const string ProgramState = "global::GraphSampling.Runtime.Checkpoints.IProgramState";

        /// <summary>IProgramState, for checkpoints: implemented explicitly, so its member names never meet the graph's.</summary>
        private void EmitProgramState()
        {
            string table = Buffers + "ParameterTable", sampler = "global::GraphSampling.Runtime.Sampling.CandidateSampler";
            var parameters = _plan.Parameters.Select(id => CSharpNames.Property(Graph[id].Attributes.String("name"))).ToList();
            var samplers = Samplers.Select(SamplerProperty).ToList();
            _w.Line();
            _w.Line("// Checkpoints (GraphSampling.Runtime.Checkpoints.Checkpoint): the tables, samplers and Step of this program.");
            var names = _plan.Parameters.Select(id => CSharpNames.StringLiteral(Graph[id].Attributes.String("name"))).ToList();
            _w.Line("global::System.Collections.Generic.IReadOnlyList<string> " + ProgramState + ".ParameterNames => "
                + (names.Count == 0 ? "global::System.Array.Empty<string>()" : "new string[] { " + string.Join(", ", names) + " }") + ";");
            _w.Line("global::System.Collections.Generic.IReadOnlyList<" + table + "> " + ProgramState + ".Parameters => "
                + (parameters.Count == 0 ? "global::System.Array.Empty<" + table + ">()" : "new " + table + "[] { " + string.Join(", ", parameters) + " }") + ";");
            _w.Line("global::System.Collections.Generic.IReadOnlyList<" + sampler + "> " + ProgramState + ".Samplers => "
                + (samplers.Count == 0 ? "global::System.Array.Empty<" + sampler + ">()" : "new " + sampler + "[] { " + string.Join(", ", samplers) + " }") + ";");
            if (samplers.Count > 0)
            {
                _w.Line("long " + ProgramState + ".Step { get => Step; set => Step = value; }");
            }
            else
            {
                _w.Block("long " + ProgramState + ".Step", () =>
                {
                    _w.Line("get => 0;");
                    _w.Line("set { if (value != 0) throw new global::System.ArgumentOutOfRangeException(nameof(value), value, \"This program has no samplers: its Step is always 0.\"); }");
                });
            }
        }


        protected override void EmitRun(string method, int from, int to)
        {
            string inputs = InputParameters();
            _w.Line();
            if (_skipLocalsInit) _w.Line("[global::System.Runtime.CompilerServices.SkipLocalsInit]");
            // Optimised from the first call: a step is called a few times a second at most, so tiered compilation would
            // keep it in unoptimised code for the first dozens of training steps (docs/performance.md, start-up).
            _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
            _declared.Clear();   // locals are per method
            // withGradients: a training call, whose forward pass also computes the loss gradients it can (see
            // ProgramPlan.PlanLossPasses); only the forward pass of such a plan takes it.
            _w.Block("private void " + method + "(int batch" + (inputs.Length > 0 ? ", " + inputs : "") + WithGradientsParameter(method) + ")", () => EmitSteps(from, to));
        }
    }
}
