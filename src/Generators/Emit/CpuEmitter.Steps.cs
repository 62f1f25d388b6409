using System.Collections.Generic;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Naming;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Emit
{
    internal sealed partial class CpuEmitter
    {
        /// <summary>The span that holds a value, as an expression usable in any method.</summary>
        protected override string SpanExpression(ValueRef v, string batch)
        {
            // Plain aliases share their source's memory and layout; a view's rows lie inside its owner's buffer.
            while (_plan.SlotOf(v).Kind == BufferKind.Alias) v = _plan.SlotOf(v).AliasOf;
            var view = _plan.SlotOf(v);
            if (view.Kind == BufferKind.View)
            {
                var ownerSlot = _plan.SlotOf(_plan.Owner(view.AliasOf));
                return "_ws.FloatsFrom(" + ownerSlot.Offset + ", " + Length(view.AliasOf, batch) + ", " + view.Offset + ")";
            }
            var owner = _plan.Owner(v);
            var slot = _plan.SlotOf(owner);
            string len = Length(v, batch);
            switch (slot.Kind)
            {
                case BufferKind.UserInput: return CSharpNames.Parameter(Graph[owner.Node].Attributes.String("name"));
                case BufferKind.Parameter: return CSharpNames.Property(Graph[owner.Node].Attributes.String("name")) + ".Data";
                case BufferKind.Long: return "_ws.Longs(" + slot.Offset + ", " + len + ")";
                case BufferKind.Float: return "_ws.Floats(" + slot.Offset + ", " + len + ")";
                default: throw new System.InvalidOperationException("t" + owner.Node + " has no memory of its own (" + slot.Kind + "): a fused-away value is never read outside its group.");
            }
        }

        /// <summary>True while writing FillConstants (constant nodes are computed there, once, at full capacity).</summary>
        private bool _fillingConstants;

        private void EmitStep(IrNode node)
        {
            var v = new ValueRef(node.Id);
            var x = node.Inputs;
            var a = node.Attributes;
            int fusedInto = _plan.FusedInto(node.Id);
            if (fusedInto >= 0)
            {
                _w.Line("// " + GraphDescriber.Describe(_plan, node) + " (fused into t" + fusedInto + ")");
                return;
            }
            var group = _plan.GroupAt(node.Id);
            if (group != null)
            {
                EmitFusedGroup(group);
                return;
            }
            _w.Line("// " + GraphDescriber.Describe(_plan, node));
            if (_plan.IsConstant(node.Id) && !_fillingConstants && _plan.SlotOf(v).Kind != BufferKind.Alias)
            {
                _w.Line("// (constant: filled once when the program is built)");
                return;
            }
            if (IsView(v))
            {
                _w.Line("// (a view of rows inside " + LocalName(_plan.Owner(v)) + ": no copy)");
                return;
            }
            if (_plan.IsReadFromTable(node.Id))
            {
                _w.Line("// (no copy: its MatMuls read these rows from " + Table(x[0]) + " by id)");
                return;
            }
            if (_plan.LossComputing(node.Id) >= 0)
            {
                _w.Line("// (computed with the loss t" + _plan.LossComputing(node.Id) + " in the forward pass)");
                return;
            }
            switch (node.Kind)
            {
                case OpKind.Concat when _plan.IsWrittenInPlace(node.Id):
                    _w.Line("// (its inputs' kernels wrote their columns in place: no copy)");
                    return;
                case OpKind.SampledValues:
                    _w.Line("// (views of " + LocalName(x[0]) + ", " + LocalName(x[1]) + ", " + LocalName(x[2]) + ": no copy)");
                    if (_plan.SampledValuesCheckedInStep.Contains(node.Id))
                    {
                        _w.Line(Ops + "Checks.PositiveFinite(" + Ref(x[1]) + ", " + MessageRowWidth(x[1]) + ", " + CSharpNames.StringLiteral(_plan.NameOf(x[1])) + ");");
                        _w.Line(Ops + "Checks.PositiveFinite(" + Ref(x[2]) + ", " + MessageRowWidth(x[2]) + ", " + CSharpNames.StringLiteral(_plan.NameOf(x[2])) + ");");
                    }
                    return;
                case OpKind.Constant:
                    EmitConstant(node);
                    return;
                case OpKind.Input:
                    _w.Line(node.Attributes.Find("internal") != null ? "// (filled by ForwardBackward: ones, or the caller's outputGradient)" : "// (fed by the caller)");
                    return;
                case OpKind.Parameter:
                    if (_plan.ParametersCopiedToIdOrder.Contains(node.Id))
                    {
                        _w.Line("// Mod-sharded storage is not in id order: copy the table once per call for dense use.");
                        _w.Line(CSharpNames.Property(a.String("name")) + ".CopyToIdOrder(" + Declare(v) + ");");
                    }
                    else
                    {
                        _w.Line("// (owned by the program)");
                    }
                    return;
                case OpKind.Reshape:
                case OpKind.StopGradient:
                case OpKind.EmbeddingRowsGrad when double.IsNaN(a.Double("maxNorm")):
                    _w.Line("// (a view of " + LocalName(x[0]) + ": no copy)");
                    return;
            }

            if (node.Kind == OpKind.SparseRowGradient)
            {
                EmitSparseRowGradient(node);
                return;
            }

            if (IsSampler(node.Kind))
            {
                // Candidates and expected counts for this step; a learned unigram then counts this batch's labels.
                string candidates = Declare(v), trueCounts = Declare(new ValueRef(node.Id, 1)), sampledCounts = Declare(new ValueRef(node.Id, 2));
                _w.Line(SamplerProperty(node) + ".SampleCandidates(Step, " + Ref(x[0]) + ", " + a.Int("numTrue") + ", " + candidates + ", " + trueCounts + ", " + sampledCounts + ");");
                return;
            }

            // A product added row by row into a sparse gradient has no buffer of its own to declare.
            string outLocal = _plan.RowGradientTaking(node.Id) >= 0 ? "" : Declare(v);
            string? second = Graph[node.Id].Kind == OpKind.TopK ? Declare(new ValueRef(node.Id, 1)) : null;
            // A call may be several statements, one per line.
            foreach (var statement in Call(node, outLocal, second)) _w.Line(statement + ";");
        }

        /// <summary>The statements of one step (each written on its own line).</summary>
        private IEnumerable<string> Call(IrNode node, string output, string? second)
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
                        // The product is the first rows of a sparse gradient (distinct ids): the GEMM adds each row into
                        // its id's slot, so the gradient is begun and sealed here rather than at its own step.
                        var rowsOf = Graph[sparse];
                        string g = SparseGradientProperty(rowsOf);
                        var statements = new List<string> { g + ".Begin()" };
                        for (int i = 0; i < rowsOf.Inputs.Count; i += 2) statements.Add(g + ".AddIds(" + Ref(rowsOf.Inputs[i]) + ")");
                        statements.Add(g + ".Seal()");
                        statements.Add(g + ".AddProduct(" + Ref(rowsOf.Inputs[0]) + ", " + Ref(x[0]) + ", " + RowStride(x[0]) + ", " + Bool(ta) + ", " + Ref(x[1]) + ", " + RowStride(x[1]) + ", " + Bool(tb) + ", " + k + ")");
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
                case OpKind.BiasAdd:
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                case OpKind.Divide:
                    return new[] { Binary(node, output) };
                case OpKind.Log:
                    return new[] { Ops + "Elementwise.Log(" + Ref(x[0]) + ", " + output + ")" };
                case OpKind.MaskPadding:
                    return new[] { Ops + "Elementwise.MaskPadding(" + Ref(x[0]) + ", " + Ref(x[1]) + ", " + CSharpNames.Float(a.Double("fill")) + ", " + output + ")" };
                case OpKind.LabelWeights:
                    return new[] { Ops + "Losses.LabelWeights(" + Ref(x[0]) + ", " + Dim(x[0], 1) + ", " + output + ")" };
                case OpKind.Negate:
                    return new[] { Ops + "Elementwise.Negate(" + Ref(x[0]) + ", " + output + ")" };
                case OpKind.AddN:
                    return new[] { Ref(x[0]) + ".CopyTo(" + output + ")" }.Concat(x.Skip(1).Select(i => Ops + "Elementwise.Accumulate(" + Ref(i) + ", " + output + ")"));
                case OpKind.Concat:
                    return Concat(node, output);
                case OpKind.Slice:
                {
                    int axis = (int)a.Int("axis");
                    var s = _plan.TypeOf(x[0]).Shape;
                    long inner = Inner(s, axis);
                    return new[] { Ops + "Layout.CopyOut(" + Ref(x[0]) + ", " + Product(x[0], 0, axis) + ", " + s[axis] * inner + ", " + a.Int("begin") * inner + ", " + output + ", " + a.Int("size") * inner + ")" };
                }
                case OpKind.ReduceSum:
                case OpKind.ReduceLogSumExp:
                {
                    var s = _plan.TypeOf(x[0]).Shape;
                    int axis = Axis(a, s.Rank);
                    string fn = node.Kind == OpKind.ReduceSum ? "Sum" : "LogSumExp";
                    return new[] { Ops + "Reduce." + fn + "(" + Ref(x[0]) + ", " + Product(x[0], 0, axis) + ", " + Dim(x[0], axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.BroadcastAlongAxis:
                {
                    var s = _plan.TypeOf(v).Shape;
                    int axis = (int)a.Int("axis");
                    return new[] { Ops + "Reduce.BroadcastAlong(" + Ref(x[0]) + ", " + Product(v, 0, axis) + ", " + Dim(v, axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.ReduceLogSumExpGrad:
                {
                    var s = _plan.TypeOf(x[1]).Shape;
                    int axis = (int)a.Int("axis");
                    return new[] { Ops + "Reduce.LogSumExpGradient(" + Ref(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + Product(x[1], 0, axis) + ", " + Dim(x[1], axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.ReduceToShape when _plan.IsRowSum(node):
                    return new[] { Ops + "Reduce.SumOverRows(" + Ref(x[0]) + ", " + Dim(x[0], 0) + ", " + _plan.TypeOf(x[0]).Shape[1] + ", " + RowStride(x[0]) + ", " + output + ")" };
                case OpKind.ReduceToShape:
                    return new[] { Ops + "Elementwise.ReduceTo(" + Ref(x[0]) + ", " + output + ", " + Dims4(x[0]) + ", " + Strides4(x[0], v) + ", batch)" };
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
                case OpKind.SoftmaxCrossEntropyWithLogits:
                case OpKind.SparseSoftmaxCrossEntropyWithLogits:
                    return CrossEntropyWithGradient(node, output);
                case OpKind.SigmoidCrossEntropyWithLogits:
                    return new[] { Ops + "Losses.SigmoidCrossEntropy(" + Ref(x[0]) + ", " + Ref(x[1]) + ", " + output + ")" };
                case OpKind.SoftmaxCrossEntropyGrad:
                    return new[]
                    {
                        a.String("wrt") == "labels"
                            ? Ops + "Losses.SoftmaxCrossEntropyLabelsGradient(" + Ref(x[0]) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")"
                            : Ops + "Losses.SoftmaxCrossEntropyLogitsGradient(" + Ref(x[0]) + ", " + Ref(x[1]) + ", " + LabelStride(node) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")",
                    };
                case OpKind.SparseSoftmaxCrossEntropyGrad:
                    return new[] { Ops + "Losses.SparseSoftmaxCrossEntropyGradient(" + Ref(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")" };
                case OpKind.SigmoidCrossEntropyGrad:
                    return new[]
                    {
                        a.String("wrt") == "labels"
                            ? Ops + "Losses.SigmoidCrossEntropyLabelsGradient(" + Ref(x[0]) + ", " + Ref(x[2]) + ", " + output + ")"
                            : Ops + "Losses.SigmoidCrossEntropyLogitsGradient(" + Ref(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + output + ")",
                    };
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
                    return new[] { Ops + "Ranking.TopK(" + Ref(x[0]) + ", " + rows + ", " + s[s.Rank - 1] + ", " + a.Int("k") + ", " + output + ", " + second + ")" };
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
        private void EmitFusedGroup(FusedGroup group)
        {
            foreach (int id in group.Nodes) _w.Line("// " + GraphDescriber.Describe(_plan, Graph[id]) + (group.Hits.Count > 0 && Graph[id].Kind == OpKind.Add && Graph[id].Inputs.Any(i => group.Hits.Contains(i.Node)) ? " (mask applied after the pass)" : ""));
            var root = new ValueRef(group.Root);
            var shape = _plan.TypeOf(root).Shape;
            string dst = Declare(root);
            string rows = Product(root, 0, shape.Rank - 1);
            var operands = new List<string>();
            foreach (var o in group.Operands)
            {
                switch (o.Layout)
                {
                    case FusedLayout.Full: operands.Add(Cpu + "FusedOperand.Full(" + Ref(o.Value) + ", " + RowStride(o.Value) + ")"); break;
                    case FusedLayout.Row: operands.Add(Cpu + "FusedOperand.Row(" + Ref(o.Value) + ")"); break;
                    case FusedLayout.Column: operands.Add(Cpu + "FusedOperand.Column(" + Ref(o.Value) + ")"); break;
                    default: operands.Add(Cpu + "FusedOperand.Scalar(" + Ref(o.Value) + ")"); break;
                }
            }
            while (operands.Count < FusionPlanner.MaxOperands) operands.Add(Cpu + "FusedOperand.None");
            string op = FusedStruct(group);
            _w.Line(Cpu + "Kernels.Fused<" + op + ">(" + rows + ", " + Dim(root, shape.Rank - 1) + ", " + string.Join(", ", operands) + ", " + dst + ", " + RowStride(root) + ");");
            foreach (int hits in group.Hits)
            {
                var h = Graph[hits];
                _w.Line("global::GraphSampling.Runtime.Sampling.AccidentalHits.ApplyHits(" + Ref(h.Inputs[0]) + ", " + h.Attributes.Int("numTrue") + ", " + Ref(h.Inputs[1]) + ", " + dst + ", " + RowStride(root) + ");");
            }
        }

        /// <summary>A constant's fill: one value everywhere, or its values (per row when batched) from a static array.</summary>
        private void EmitConstant(IrNode node)
        {
            var a = node.Attributes;
            var v = new ValueRef(node.Id);
            string local = Declare(v);
            var values = a.Get("values").Doubles;
            bool isLong = (DType)a.Int("dtype") == DType.Int64;
            if (values.Count == 0)
            {
                _w.Line(local + ".Fill(" + (isLong ? CSharpNames.Long((long)a.Double("value")) : CSharpNames.Float(a.Double("value"))) + ");");
                return;
            }
            string array = isLong ? LongArray(values) : FloatArray(values);
            _w.Line(Ops + "Layout.FillRows(" + array + ", " + local + ");");
        }

        /// <summary>A cross-entropy loss step: in a training call whose upstream gradient is known before the forward pass,
        /// the loss and its logits gradient in one pass (the gradient's own step then does nothing).</summary>
        private IEnumerable<string> CrossEntropyWithGradient(IrNode node, string output)
        {
            var x = node.Inputs;
            bool sparse = node.Kind == OpKind.SparseSoftmaxCrossEntropyWithLogits;
            string labels = sparse ? Ref(x[0]) : Ref(x[0]) + ", " + LabelStride(node);
            string shape = Dim(x[1], 0) + ", " + Dim(x[1], 1);
            string lossOnly = Ops + "Losses." + (sparse ? "SparseSoftmaxCrossEntropy(" : "SoftmaxCrossEntropy(") + labels + ", " + Ref(x[1]) + ", " + shape + ", " + output + ")";
            int gradient = _plan.GradientComputedWith(node.Id);
            if (gradient < 0) return new[] { lossOnly };
            string withGradient = Ops + "Losses." + (sparse ? "SparseSoftmaxCrossEntropyWithLogitsGradient(" : "SoftmaxCrossEntropyWithLogitsGradient(")
                + Ref(Gradients!.Seed) + ", " + labels + ", " + Ref(x[1]) + ", " + shape + ", " + output + ", " + SpanExpression(new ValueRef(gradient), "batch") + ")";
            return new[] { "if (" + WithGradients + ") " + withGradient, "else " + lossOnly };
        }

        private void EmitSparseRowGradient(IrNode node)
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

        private string SparseGradientProperty(IrNode sparse) => GradientProperty(Gradients!.Targets.First(t => t.Gradient.Node == sparse.Id));

        private string Binary(IrNode node, string output)
        {
            var x = node.Inputs;
            string op = node.Kind == OpKind.BiasAdd || node.Kind == OpKind.Add ? "Add" : node.Kind == OpKind.Subtract ? "Subtract" : node.Kind == OpKind.Multiply ? "Multiply" : "Divide";
            var v = new ValueRef(node.Id);
            var s = _plan.TypeOf(v).Shape;
            string call = Ops + "Elementwise.Binary(" + Ops + "BinaryOp." + op + ", " + Ref(x[0]) + ", " + Ref(x[1]) + ", " + output;
            if (_plan.TypeOf(x[0]).Shape.Equals(s) && _plan.TypeOf(x[1]).Shape.Equals(s)) return call + ")";
            return call + ", " + Dims4(v) + ", " + Strides4(v, x[0]) + ", " + Strides4(v, x[1]) + ", batch)";
        }

        private IEnumerable<string> Concat(IrNode node, string output)
        {
            var v = new ValueRef(node.Id);
            var s = _plan.TypeOf(v).Shape;
            int axis = Axis(node.Attributes, s.Rank);
            long inner = Inner(s, axis);
            string outer = Product(v, 0, axis);
            var lines = new List<string>();
            long offset = 0;
            foreach (var input in node.Inputs)
            {
                long block = _plan.TypeOf(input).Shape[axis] * inner;
                // An input written in place by its kernel is already there.
                if (!IsView(input)) lines.Add(Ops + "Layout.CopyIn(" + Ref(input) + ", " + outer + ", " + block + ", " + output + ", " + s[axis] * inner + ", " + offset + ")");
                offset += block;
            }
            return lines;
        }

    }
}
