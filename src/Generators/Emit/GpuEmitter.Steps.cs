using System.Collections.Generic;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Naming;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Emit
{
    internal sealed partial class GpuEmitter
    {
        /// <summary>True while writing _Validate: a user input is then the caller's span, not its device copy.</summary>
        private bool _hostInputs;

        /// <summary>A user input: the caller's span in _Validate, else its device copy (uploaded once per call).</summary>
        protected override string UserInputExpression(ValueRef input, string length)
        {
            if (_hostInputs) return CSharpNames.Parameter(Graph[input.Node].Attributes.String("name"));
            bool isLong = _plan.TypeOf(input).DType == DType.Int64;
            return (isLong ? "_ws.Longs(" : "_ws.Floats(") + _inputOffsets[input.Node] + ", " + length + ")";
        }

        /// <summary>A value the plan leaves unstored for the CPU: its device slot (<see cref="_unstoredOnCpuOffsets"/>).</summary>
        protected override string? OwnSlotExpression(ValueRef owner, string length) =>
            _unstoredOnCpuOffsets.TryGetValue(owner.Node, out long own) ? "_ws.Floats(" + own + ", " + length + ")" : null;

        protected override string OpCall(string family, string name) => DeviceOps + (family == "Reduce" && name == "Sum" ? "ReduceSum" : name) + "(_gpu, ";

        protected override bool SkipsReadFromTable => false;   // gathered into a slot of its own (the GEMMs take dense operands)

        protected override string InputComment => "// (uploaded from the caller's span)";

        /// <summary>Fed sampled values: views of the inputs' device copies, their counts checked in _Validate on the host
        /// (the form whose counts are computed in the graph is declined, GpuBackend.Declines).</summary>
        protected override void EmitSampledValues(IrNode node)
        {
            var x = node.Inputs;
            _w.Line("// (views of " + LocalName(x[0]) + ", " + LocalName(x[1]) + ", " + LocalName(x[2]) + ": no copy)");
        }

        protected override void EmitParameterStep(IrNode node)
        {
            var v = new ValueRef(node.Id);
            var a = node.Attributes;
            if (_plan.ParametersCopiedToIdOrder.Contains(node.Id))
            {
                // The device table is the master copy: gathered by ids 0 … rows − 1 into id order, on the device.
                var dims = a.Ints("dims");
                string table = CSharpNames.Property(a.String("name"));
                _w.Line("// Mod-sharded storage is not in id order: gather the table into id order once per call for dense use.");
                string local = Declare(v);
                _w.Line(table + ".Gather(_ws.Longs(" + _ascendingOffset + ", " + dims[0] + "), " + local + ");");
            }
            else
            {
                _w.Line("// (owned by the program, on the device)");
            }
        }

        /// <summary>A sampler step: the device sampler draws this Step's candidates from the true classes on the device (the
        /// CPU sampler's Philox stream), then its results are copied into the plan's slots.</summary>
        protected override void EmitSampler(IrNode node)
        {
            string sampler = SamplerProperty(node);
            string candidates = Declare(new ValueRef(node.Id)), trueCounts = Declare(new ValueRef(node.Id, 1)), sampledCounts = Declare(new ValueRef(node.Id, 2));
            int k = (int)node.Attributes.Int("numSampled");
            _w.Line(sampler + ".Sample(Step, " + Ref(node.Inputs[0]) + ");");
            _w.Line(DeviceOps + "CopyRows(_gpu, " + sampler + ".Candidates, " + k + ", " + candidates + ", " + k + ", 1, " + k + ");");
            _w.Line(DeviceOps + "Copy(_gpu, " + sampler + ".TrueExpectedCounts.SubView(0, " + Length(new ValueRef(node.Id, 1), "batch") + "), " + trueCounts + ");");
            _w.Line(DeviceOps + "Copy(_gpu, " + sampler + ".SampledExpectedCounts, " + sampledCounts + ");");
        }

        protected override string FillLine(string destination, string value) => DeviceOps + "Fill(_gpu, " + destination + ", " + value + ");";

        protected override string FillRowsLine(string array, string destination, ValueRef v) =>
            DeviceWorkspace + ".FillRows(" + array + ", " + destination + ", " + CSharpNames.StringLiteral(_plan.NameOf(v)) + ");";

        protected override string CopyLine(string source, string destination) => DeviceOps + "Copy(_gpu, " + source + ", " + destination + ")";

        /// <summary>The statements of one step: device op calls with the CPU call's arguments, the context first.</summary>
        protected override IEnumerable<string> BackendCall(IrNode node, string output)
        {
            var x = node.Inputs;
            var a = node.Attributes;
            var v = new ValueRef(node.Id);
            switch (node.Kind)
            {
                case OpKind.EmbeddingLookup:
                    return new[] { DeviceOps + "GatherRows(_gpu, " + Table(x[0]) + ", " + Ref(x[1]) + ", " + output + (a.Flag("padding") ? ", padding: true" : "") + ")" };
                case OpKind.MatMul:
                {
                    bool ta = a.Bool("transposeA"), tb = a.Bool("transposeB");
                    string m = Dim(v, 0), n = Dim(v, 1), k = ta ? Dim(x[0], 0) : Dim(x[0], 1);
                    return new[]
                    {
                        "_gemm.Multiply(" + Ref(x[0]) + ", " + RowStride(x[0]) + ", " + Bool(ta) + ", " + Ref(x[1]) + ", " + RowStride(x[1]) + ", " + Bool(tb) + ", "
                            + output + ", " + RowStride(v) + ", " + m + ", " + n + ", " + k + ", false, " + CSharpNames.StringLiteral(_plan.NameOf(v)) + ")",
                    };
                }
                default:
                    // The op schemas (Backends.Gpu) and GpuBackend.Declines keep every other kind away from this emitter.
                    throw new System.InvalidOperationException(node.Kind + " reached the GPU emitter but has no emission rule.");
            }
        }

        /// <summary>
        /// A fused group as device elementwise ops in the expression's order, each op one pass over [rows, cols] that rounds
        /// its result to float as the CPU's fused operator does: a left operand that is itself computed is computed in the
        /// destination (then updated in place), a computed right operand in a scratch slot. Then the accidental-hit masks.
        /// </summary>
        protected override void EmitFusedGroup(FusedGroup group)
        {
            var (dst, rows, operands) = FusedGroupPrelude(group, DeviceOperand);
            var root = new ValueRef(group.Root);
            string cols = Dim(root, _plan.TypeOf(root).Shape.Rank - 1);
            string Target(int slot) => slot == 0 ? dst : "_ws.Floats(" + (_scratchOffset + (slot - 1) * _scratchElements) + ", " + Length(root, "batch") + ")";
            string TargetStride(int slot) => slot == 0 ? RowStride(root).ToString(System.Globalization.CultureInfo.InvariantCulture) : cols;
            string Eval(FusedExpression e, int slot)
            {
                if (e.IsOperand) return operands[e.Operand];
                string left = Eval(e.Args[0], slot);
                string target = Target(slot), stride = TargetStride(slot);
                switch (e.Op)
                {
                    case FusedOp.Log:
                        _w.Line(DeviceOps + "Log(_gpu, " + rows + ", " + cols + ", " + left + ", " + target + ", " + stride + ");");
                        break;
                    case FusedOp.Negate:
                        _w.Line(DeviceOps + "Negate(_gpu, " + rows + ", " + cols + ", " + left + ", " + target + ", " + stride + ");");
                        break;
                    default:
                        string right = Eval(e.Args[1], slot + 1);
                        _w.Line(DeviceOps + "Binary(_gpu, " + Ops + "BinaryOp." + e.Op + ", " + rows + ", " + cols + ", " + left + ", " + right + ", " + target + ", " + stride + ");");
                        break;
                }
                return DeviceOperand + "Full(" + target + ", " + stride + ")";
            }
            Eval(group.Expression, 0);
            EmitGroupHits(group, dst, DeviceOps + "ApplyHits(_gpu, ");
        }

        /// <summary>A sparse row gradient on the device (DeviceSparseRowGradient: the CPU's protocol, unique ids ascending,
        /// each id's rows summed in position order: the CPU program's floats given the same rows).</summary>
        protected override void EmitSparseRowGradient(IrNode node)
        {
            string g = SparseGradientProperty(node);
            var x = node.Inputs;
            string List(int i) => ProgramNames.ReservedPrefix + "t" + node.Id + "_ids" + (i / 2);
            _w.Line(g + ".Begin();");
            for (int i = 0; i < x.Count; i += 2) _w.Line("var " + List(i) + " = " + g + ".AddIds(" + Ref(x[i]) + ");");
            _w.Line(g + ".Seal();");
            for (int i = 0; i < x.Count; i += 2) _w.Line(g + ".AddRows(" + List(i) + ", " + Ref(x[i + 1]) + ");");
        }
    }
}
