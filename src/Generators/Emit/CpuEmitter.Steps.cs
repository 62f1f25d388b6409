using System.Collections.Generic;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Naming;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Emit
{
    internal sealed partial class CpuEmitter
    {
        protected override string UserInputExpression(ValueRef input, string length) => CSharpNames.Parameter(Graph[input.Node].Attributes.String("name"));

        protected override string OpCall(string family, string name) => Ops + family + "." + name + "(";

        protected override string InputComment => "// (fed by the caller)";

        protected override void EmitSampledValues(IrNode node)
        {
            var x = node.Inputs;
            _w.Line("// (views of " + LocalName(x[0]) + ", " + LocalName(x[1]) + ", " + LocalName(x[2]) + ": no copy)");
            if (_plan.SampledValuesCheckedInStep.Contains(node.Id))
            {
                _w.Line(Ops + "Checks.PositiveFinite(" + Ref(x[1]) + ", " + MessageRowWidth(x[1]) + ", " + CSharpNames.StringLiteral(_plan.NameOf(x[1])) + ");");
                _w.Line(Ops + "Checks.PositiveFinite(" + Ref(x[2]) + ", " + MessageRowWidth(x[2]) + ", " + CSharpNames.StringLiteral(_plan.NameOf(x[2])) + ");");
            }
        }

        protected override void EmitParameterStep(IrNode node)
        {
            if (_plan.ParametersCopiedToIdOrder.Contains(node.Id))
            {
                _w.Line("// Mod-sharded storage is not in id order: copy the table once per call for dense use.");
                _w.Line(CSharpNames.Property(node.Attributes.String("name")) + ".CopyToIdOrder(" + Declare(new ValueRef(node.Id)) + ");");
            }
            else
            {
                _w.Line("// (owned by the program)");
            }
        }

        protected override void EmitSampler(IrNode node)
        {
            // Candidates and expected counts for this step; a learned unigram then counts this batch's labels.
            string candidates = Declare(new ValueRef(node.Id)), trueCounts = Declare(new ValueRef(node.Id, 1)), sampledCounts = Declare(new ValueRef(node.Id, 2));
            _w.Line(SamplerProperty(node) + ".SampleCandidates(Step, " + Ref(node.Inputs[0]) + ", " + node.Attributes.Int("numTrue") + ", " + candidates + ", " + trueCounts + ", " + sampledCounts + ");");
        }

        protected override string FillLine(string destination, string value) => destination + ".Fill(" + value + ");";

        protected override string FillRowsLine(string array, string destination, ValueRef v) => Ops + "Layout.FillRows(" + array + ", " + destination + ");";

        protected override string CopyLine(string source, string destination) => source + ".CopyTo(" + destination + ")";

        /// <summary>The statements of one step (each written on its own line).</summary>
        protected override IEnumerable<string> BackendCall(IrNode node, string output)
        {
            var x = node.Inputs;
            var a = node.Attributes;
            var v = new ValueRef(node.Id);
            switch (node.Kind)
            {
                case OpKind.EmbeddingLookup:
                {
                    // Ragged labels' lookups: -1 gives a zero row (no table row read; the max norm is NaN there).
                    string gather = a.Flag("padding") ? "Gather.RowsOrPadding(" : "Gather.Rows(";
                    string call = Ops + gather + Table(x[0]) + ", " + Ref(x[1]) + ", " + output + ")";
                    double maxNorm = a.Double("maxNorm");
                    if (double.IsNaN(maxNorm)) return new[] { call };
                    var p = _plan.TypeOf(x[0]).Shape;
                    return new[] { call, Ops + "Gather.ClipRows(" + output + ", " + p.RowSize + ", " + CSharpNames.Float(maxNorm) + ")" };
                }
                case OpKind.EmbeddingBag:
                    return new[] { Ops + "Gather.BagRows(" + Table(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + Dim(x[1], 1) + ", " + a.Int("combiner") + ", " + output + ")" };
                case OpKind.EmbeddingBagWeightsGrad:
                    return new[] { Ops + "Gather.BagWeightsGradient(" + Table(x[1]) + ", " + Ref(x[2]) + ", " + Ref(x[3]) + ", " + Dim(x[2], 1) + ", " + a.Int("combiner") + ", " + Ref(x[4]) + ", " + Ref(x[0]) + ", " + output + ")" };
                case OpKind.EmbeddingBagRowsGrad:
                    return new[] { Ops + "Gather.BagRowsGradient(" + Ref(x[1]) + ", " + Ref(x[2]) + ", " + Dim(x[1], 1) + ", " + a.Int("combiner") + ", " + Ref(x[0]) + ", " + output + ")" };
                case OpKind.MatMul:
                {
                    bool ta = a.Bool("transposeA"), tb = a.Bool("transposeB");
                    string m = Dim(v, 0), n = Dim(v, 1), k = ta ? Dim(x[0], 0) : Dim(x[0], 1);
                    int sparse = _plan.RowGradientTaking(node.Id);
                    if (sparse >= 0)
                    {
                        // The product is the first rows of a sparse gradient (sampled ids): the GEMM adds each row into
                        // its id's slot, so the gradient is begun and sealed here rather than at its own step.
                        var rowsOf = Graph[sparse];
                        string g = SparseGradientProperty(rowsOf);
                        var statements = new List<string> { g + ".Begin()" };
                        for (int i = 0; i < rowsOf.Inputs.Count; i += 2) statements.Add(g + ".AddIds(" + Ref(rowsOf.Inputs[i]) + ")");
                        statements.Add(g + ".Seal()");
                        // Fed candidates may repeat: the product's buffer takes that step's rows.
                        string repeats = _plan.RowGradientChecksIds(node.Id) ? ", " + output : "";
                        statements.Add(g + ".AddProduct(" + Ref(rowsOf.Inputs[0]) + ", " + Ref(x[0]) + ", " + RowStride(x[0]) + ", " + Bool(ta) + ", " + Ref(x[1]) + ", " + RowStride(x[1]) + ", " + Bool(tb) + ", " + k + repeats + ")");
                        return statements;
                    }
                    if (_plan.IsReadFromTable(x[1].Node))
                    {
                        // B is a lookup never stored: the GEMM packs its rows straight from the table.
                        var lookup = Graph[x[1].Node];
                        return new[] { Ops + "Linear.MatMulRows(" + Ref(x[0]) + ", " + RowStride(x[0]) + ", " + Bool(ta) + ", " + Table(lookup.Inputs[0]) + ", " + Ref(lookup.Inputs[1]) + ", " + Bool(tb) + ", " + output + ", " + RowStride(v) + ", " + m + ", " + n + ", " + k + ")" };
                    }
                    if (IsView(x[0]) || IsView(x[1]))
                    {
                        // An operand is rows inside a wider buffer: pass every row stride.
                        return new[] { Ops + "Linear.MatMul(" + Ref(x[0]) + ", " + RowStride(x[0]) + ", " + Bool(ta) + ", " + Ref(x[1]) + ", " + RowStride(x[1]) + ", " + Bool(tb) + ", " + output + ", " + RowStride(v) + ", " + m + ", " + n + ", " + k + ")" };
                    }
                    return new[] { Ops + "Linear.MatMul(" + Ref(x[0]) + ", " + Bool(ta) + ", " + Ref(x[1]) + ", " + Bool(tb) + ", " + output + ", " + m + ", " + n + ", " + k + ")" };
                }
                case OpKind.SparseToDense:
                {
                    string shape = IntList(a.Ints("outputShape"));
                    bool scalar = _plan.TypeOf(x[1]).Shape.Rank == 0;
                    // Indices fed by the caller were checked in Validate; computed ones are checked here.
                    var statements = new List<string>();
                    if (!_plan.IndexChecks.Contains(node.Id)) statements.Add(IndexCheck(node));
                    statements.Add(Ops + "Sparse.ToDense(" + Ref(x[0]) + ", " + shape + ", " + Ref(x[1]) + ", " + Bool(scalar) + ", " + CSharpNames.Float(a.Double("defaultValue")) + ", " + output + ")");
                    return statements;
                }
                case OpKind.SparseToDenseGrad:
                    return new[] { Ops + "Sparse.ToDenseGradient(" + Ref(x[0]) + ", " + Ref(x[1]) + ", " + IntList(a.Ints("outputShape")) + ", " + Bool(a.Bool("scalarValues")) + ", " + Bool(a.Bool("validateIndices")) + ", " + output + ")" };
                case OpKind.EmbeddingRowsGrad:
                    return new[] { Ops + "Gather.ClipRowsGradient(" + Table(x[1]) + ", " + Ref(x[2]) + ", " + Ref(x[0]) + ", " + CSharpNames.Float(a.Double("maxNorm")) + ", " + output + ")" };
                case OpKind.ScatterAddRows:
                {
                    var p = _plan.TypeOf(v).Shape;
                    var scatter = new List<string> { Ref(x[0]) + ".CopyTo(" + output + ")" };
                    for (int i = 1; i < x.Count; i += 2) scatter.Add(Ops + "Gather.ScatterAdd(" + output + ", " + p.RowSize + ", " + Ref(x[i]) + ", " + Ref(x[i + 1]) + ")");
                    return scatter;
                }
                case OpKind.ComputeAccidentalHits:
                    return new[] { "global::GraphSampling.Runtime.Sampling.AccidentalHits.AccidentalHitMask(" + Ref(x[0]) + ", " + a.Int("numTrue") + ", " + Ref(x[1]) + ", " + output + ")" };
                case OpKind.TopK:
                {
                    var s = _plan.TypeOf(x[0]).Shape;
                    string rows = s.Rank == 1 ? "1" : Dim(x[0], 0);
                    string indices = Declare(new ValueRef(node.Id, 1));   // the second output, declared after the first
                    return new[] { Ops + "Ranking.TopK(" + Ref(x[0]) + ", " + rows + ", " + s[s.Rank - 1] + ", " + a.Int("k") + ", " + output + ", " + indices + ")" };
                }
                case OpKind.Gather:
                {
                    var p = _plan.TypeOf(x[0]).Shape;
                    int axis = Axis(a, p.Rank);
                    return new[]
                    {
                        Ops + "Gather.Take(" + Ref(x[0]) + ", " + Product(x[0], 0, axis) + ", " + p[axis] + ", " + Inner(p, axis) + ", " + Ref(x[1]) + ", " + output
                            + ", " + CSharpNames.StringLiteral(_plan.NameOf(x[1])) + ")",
                    };
                }
                case OpKind.GatherGrad:
                {
                    var p = _plan.TypeOf(v).Shape;
                    int axis = (int)a.Int("axis");
                    return new[] { Ops + "Gather.TakeGradient(" + Ref(x[0]) + ", " + Product(v, 0, axis) + ", " + p[axis] + ", " + Inner(p, axis) + ", " + Ref(x[1]) + ", " + output + ")" };
                }
                default:
                    throw new System.InvalidOperationException(node.Kind + " reached the CPU emitter but has no emission rule.");
            }
        }

        /// <summary>A fused group: one comment per op it contains, then one call of the fused driver with the group's
        /// operator struct (written at the end of the file), then any accidental-hit mask the group applies.</summary>
        protected override void EmitFusedGroup(FusedGroup group)
        {
            var (dst, rows, operands) = FusedGroupPrelude(group, Cpu + "FusedOperand.");
            var root = new ValueRef(group.Root);
            while (operands.Count < FusionPlanner.MaxOperands) operands.Add(Cpu + "FusedOperand.None");
            string op = FusedStruct(group);
            _w.Line(Cpu + "Kernels.Fused<" + op + ">(" + rows + ", " + Dim(root, _plan.TypeOf(root).Shape.Rank - 1) + ", " + string.Join(", ", operands) + ", " + dst + ", " + RowStride(root) + ");");
            EmitGroupHits(group, dst, "global::GraphSampling.Runtime.Sampling.AccidentalHits.ApplyHits(");
        }

        protected override bool HasBuffer(ValueRef v) => _plan.RowGradientTaking(v.Node) < 0 || _plan.RowGradientChecksIds(v.Node);

        protected override void EmitSparseRowGradient(IrNode node)
        {
            string g = SparseGradientProperty(node);
            var x = node.Inputs;
            // A gradient whose first rows a GEMM added into its slots was begun and sealed there.
            bool sealedEarly = Graph.Nodes.Any(n => _plan.RowGradientTaking(n.Id) == node.Id);
            if (sealedEarly)
            {
                _w.Line("// (begun and sealed at its first rows' product, which added them into the slots)");
            }
            else
            {
                _w.Line(g + ".Begin();");
                for (int i = 0; i < x.Count; i += 2) _w.Line(g + ".AddIds(" + Ref(x[i]) + ");");
                _w.Line(g + ".Seal();");
            }
            for (int i = sealedEarly ? 2 : 0; i < x.Count; i += 2) _w.Line(g + ".AddRows(" + Ref(x[i]) + ", " + Ref(x[i + 1]) + ");");
        }
    }
}
