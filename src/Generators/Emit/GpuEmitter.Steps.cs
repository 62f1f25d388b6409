using System.Collections.Generic;
using System.Linq;
using GraphSampling.Ir;
using GraphSampling.Planning;

namespace GraphSampling.Generators.Emit
{
    internal sealed partial class GpuEmitter
    {
        /// <summary>True while writing _Validate: a user input is then the caller's span, not its device copy.</summary>
        private bool _hostInputs;

        /// <summary>True while writing FillConstants (constant nodes are computed there, once, at full capacity).</summary>
        private bool _fillingConstants;

        /// <summary>The device view that holds a value (an <c>ArrayView</c> into the workspace or a table), as the CPU
        /// emitter's span: the same offsets, the user inputs at their device copies.</summary>
        protected override string SpanExpression(ValueRef v, string batch)
        {
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
            if (_unstoredOnCpuOffsets.TryGetValue(owner.Node, out long own)) return "_ws.Floats(" + own + ", " + len + ")";
            switch (slot.Kind)
            {
                case BufferKind.UserInput:
                    if (_hostInputs) return CSharpNames.Parameter(Graph[owner.Node].Attributes.String("name"));
                    bool isLong = _plan.TypeOf(owner).DType == DType.Int64;
                    return (isLong ? "_ws.Longs(" : "_ws.Floats(") + _inputOffsets[owner.Node] + ", " + len + ")";
                case BufferKind.Parameter: return CSharpNames.Property(Graph[owner.Node].Attributes.String("name")) + ".Data";
                case BufferKind.Long: return "_ws.Longs(" + slot.Offset + ", " + len + ")";
                case BufferKind.Float: return "_ws.Floats(" + slot.Offset + ", " + len + ")";
                default: throw new System.InvalidOperationException("t" + owner.Node + " has no memory of its own (" + slot.Kind + "): a fused-away value is never read outside its group.");
            }
        }

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
                case OpKind.Constant:
                    EmitConstant(node);
                    return;
                case OpKind.Input:
                    _w.Line(a.Find("internal") != null ? "// (filled by ForwardBackward: ones, or the caller's outputGradient)" : "// (uploaded from the caller's span)");
                    return;
                case OpKind.Parameter:
                    if (_plan.ParametersCopiedToIdOrder.Contains(node.Id))
                    {
                        // v1: the host table is the master copy, so its id order is taken there and uploaded.
                        var shape = _plan.TypeOf(v).Shape;
                        string table = CSharpNames.Property(a.String("name"));
                        _w.Line("// Mod-sharded storage is not in id order: copy the table to id order once per call for dense use (on the host, then uploaded).");
                        string local = Declare(v);
                        _w.Line(table + ".Table.CopyToIdOrder(_ws.HostFloats(" + shape.Capacity + "));");
                        _w.Line(DeviceWorkspace + ".Upload<float>(_ws.HostFloats(" + shape.Capacity + "), " + local + ", " + CSharpNames.StringLiteral(a.String("name")) + ");");
                    }
                    else
                    {
                        _w.Line("// (owned by the program, on the device)");
                    }
                    return;
                case OpKind.Reshape:
                case OpKind.StopGradient:
                case OpKind.EmbeddingRowsGrad:
                    _w.Line("// (a view of " + LocalName(x[0]) + ": no copy)");
                    return;
                case OpKind.SparseRowGradient:
                    EmitSparseRowGradient(node);
                    return;
            }

            string outLocal = Declare(v);
            foreach (var statement in Call(node, outLocal)) _w.Line(statement + ";");
        }

        /// <summary>The statements of one step: device op calls with the CPU call's arguments, the context first.</summary>
        private IEnumerable<string> Call(IrNode node, string output)
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
                case OpKind.BiasAdd:
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                    return new[] { Binary(node, output) };
                case OpKind.Negate:
                    return new[] { DeviceOps + "Negate(_gpu, " + Ref(x[0]) + ", " + output + ")" };
                case OpKind.AddN:
                    return new[] { DeviceOps + "Copy(_gpu, " + Ref(x[0]) + ", " + output + ")" }.Concat(x.Skip(1).Select(i => DeviceOps + "Accumulate(_gpu, " + Ref(i) + ", " + output + ")"));
                case OpKind.ReduceSum:
                {
                    var s = _plan.TypeOf(x[0]).Shape;
                    int axis = Axis(a, s.Rank);
                    return new[] { DeviceOps + "ReduceSum(_gpu, " + Ref(x[0]) + ", " + Product(x[0], 0, axis) + ", " + Dim(x[0], axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.BroadcastAlongAxis:
                {
                    var s = _plan.TypeOf(v).Shape;
                    int axis = (int)a.Int("axis");
                    return new[] { DeviceOps + "BroadcastAlong(_gpu, " + Ref(x[0]) + ", " + Product(v, 0, axis) + ", " + Dim(v, axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.ReduceToShape when _plan.IsRowSum(node):
                    return new[] { DeviceOps + "SumOverRows(_gpu, " + Ref(x[0]) + ", " + Dim(x[0], 0) + ", " + _plan.TypeOf(x[0]).Shape[1] + ", " + RowStride(x[0]) + ", " + output + ")" };
                case OpKind.ReduceToShape:
                    return new[] { DeviceOps + "ReduceTo(_gpu, " + Ref(x[0]) + ", " + output + ", " + Dims4(x[0]) + ", " + Strides4(x[0], v) + ", batch)" };
                case OpKind.Concat:
                    return Concat(node, output);
                case OpKind.SoftmaxCrossEntropyWithLogits:
                case OpKind.SparseSoftmaxCrossEntropyWithLogits:
                    return CrossEntropyWithGradient(node, output);
                case OpKind.SoftmaxCrossEntropyGrad:
                    return new[]
                    {
                        a.String("wrt") == "labels"
                            ? DeviceOps + "SoftmaxCrossEntropyLabelsGradient(_gpu, " + Ref(x[0]) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")"
                            : DeviceOps + "SoftmaxCrossEntropyLogitsGradient(_gpu, " + Ref(x[0]) + ", " + Ref(x[1]) + ", " + LabelStride(node) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")",
                    };
                case OpKind.SparseSoftmaxCrossEntropyGrad:
                    return new[] { DeviceOps + "SparseSoftmaxCrossEntropyGradient(_gpu, " + Ref(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")" };
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
        private void EmitFusedGroup(FusedGroup group)
        {
            foreach (int id in group.Nodes) _w.Line("// " + GraphDescriber.Describe(_plan, Graph[id]) + (group.Hits.Count > 0 && Graph[id].Kind == OpKind.Add && Graph[id].Inputs.Any(i => group.Hits.Contains(i.Node)) ? " (mask applied after the pass)" : ""));
            var root = new ValueRef(group.Root);
            var shape = _plan.TypeOf(root).Shape;
            string dst = Declare(root);
            string rows = Product(root, 0, shape.Rank - 1), cols = Dim(root, shape.Rank - 1);
            var operands = new List<string>();
            foreach (var o in group.Operands)
            {
                switch (o.Layout)
                {
                    case FusedLayout.Full: operands.Add(DeviceOperand + "Full(" + Ref(o.Value) + ", " + RowStride(o.Value) + ")"); break;
                    case FusedLayout.Row: operands.Add(DeviceOperand + "Row(" + Ref(o.Value) + ")"); break;
                    case FusedLayout.Column: operands.Add(DeviceOperand + "Column(" + Ref(o.Value) + ")"); break;
                    default: operands.Add(DeviceOperand + "Scalar(" + Ref(o.Value) + ")"); break;
                }
            }
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
            foreach (int hits in group.Hits)
            {
                var h = Graph[hits];
                _w.Line(DeviceOps + "ApplyHits(_gpu, " + Ref(h.Inputs[0]) + ", " + h.Attributes.Int("numTrue") + ", " + Ref(h.Inputs[1]) + ", " + dst + ", " + RowStride(root) + ");");
            }
        }

        /// <summary>A constant's fill (once, in the constructor): one value everywhere, or its rows from a static array.</summary>
        private void EmitConstant(IrNode node)
        {
            var a = node.Attributes;
            var v = new ValueRef(node.Id);
            var values = a.Get("values").Doubles;
            bool isLong = (DType)a.Int("dtype") == DType.Int64;
            string local = Declare(v);
            if (values.Count == 0)
            {
                _w.Line(DeviceOps + "Fill(_gpu, " + local + ", " + (isLong ? CSharpNames.Long((long)a.Double("value")) : CSharpNames.Float(a.Double("value"))) + ");");
                return;
            }
            string array = isLong ? LongArray(values) : FloatArray(values);
            _w.Line(DeviceWorkspace + ".FillRows(" + array + ", " + local + ", " + CSharpNames.StringLiteral(_plan.NameOf(v)) + ");");
        }

        /// <summary>A cross-entropy loss step: in a training call whose upstream gradient is known before the forward pass,
        /// the loss and its logits gradient in one pass (the gradient's own step then does nothing).</summary>
        private IEnumerable<string> CrossEntropyWithGradient(IrNode node, string output)
        {
            var x = node.Inputs;
            bool sparse = node.Kind == OpKind.SparseSoftmaxCrossEntropyWithLogits;
            string labels = sparse ? Ref(x[0]) : Ref(x[0]) + ", " + LabelStride(node);
            string shape = Dim(x[1], 0) + ", " + Dim(x[1], 1);
            string lossOnly = DeviceOps + (sparse ? "SparseSoftmaxCrossEntropy(_gpu, " : "SoftmaxCrossEntropy(_gpu, ") + labels + ", " + Ref(x[1]) + ", " + shape + ", " + output + ")";
            int gradient = _plan.GradientComputedWith(node.Id);
            if (gradient < 0) return new[] { lossOnly };
            string withGradient = DeviceOps + (sparse ? "SparseSoftmaxCrossEntropyWithLogitsGradient(_gpu, " : "SoftmaxCrossEntropyWithLogitsGradient(_gpu, ")
                + Ref(Gradients!.Seed) + ", " + labels + ", " + Ref(x[1]) + ", " + shape + ", " + output + ", " + SpanExpression(new ValueRef(gradient), "batch") + ")";
            return new[] { "if (" + WithGradients + ") " + withGradient, "else " + lossOnly };
        }

        /// <summary>A sparse row gradient, v1: the ids and rows of each lookup are copied to the host and summed there by
        /// the CPU runtime's SparseRowGradient (unique ids ascending, rows in the CPU's order: the same sums bit for bit
        /// as the CPU program's given the same rows).</summary>
        private void EmitSparseRowGradient(IrNode node)
        {
            string g = GradientProperty(Gradients!.Targets.First(t => t.Gradient.Node == node.Id));
            var x = node.Inputs;
            string Ids(int i) => "_ws.HostLongs(" + Length(x[i], "batch") + ")";
            string Rows(int i) => "_ws.HostFloats(" + Length(x[i + 1], "batch") + ")";
            string DownloadIds(int i) => DeviceWorkspace + ".Download(" + Ref(x[i]) + ", " + Ids(i) + ", " + CSharpNames.StringLiteral(_plan.NameOf(x[i])) + ");";
            _w.Line("// (finished on the host: ids and rows downloaded, summed by the CPU's SparseRowGradient)");
            _w.Line(g + ".Begin();");
            for (int i = 0; i < x.Count; i += 2)
            {
                _w.Line(DownloadIds(i));
                _w.Line(g + ".AddIds(" + Ids(i) + ");");
            }
            _w.Line(g + ".Seal();");
            for (int i = 0; i < x.Count; i += 2)
            {
                if (x.Count > 2) _w.Line(DownloadIds(i));
                _w.Line(DeviceWorkspace + ".Download(" + Ref(x[i + 1]) + ", " + Rows(i) + ", " + CSharpNames.StringLiteral(_plan.NameOf(x[i + 1])) + ");");
                _w.Line(g + ".AddRows(" + Ids(i) + ", " + Rows(i) + ");");
            }
        }

        private string Binary(IrNode node, string output)
        {
            var x = node.Inputs;
            string op = node.Kind == OpKind.BiasAdd || node.Kind == OpKind.Add ? "Add" : node.Kind == OpKind.Subtract ? "Subtract" : node.Kind == OpKind.Multiply ? "Multiply" : "Divide";
            var v = new ValueRef(node.Id);
            var s = _plan.TypeOf(v).Shape;
            string call = DeviceOps + "Binary(_gpu, " + Ops + "BinaryOp." + op + ", " + Ref(x[0]) + ", " + Ref(x[1]) + ", " + output;
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
                if (!IsView(input))
                {
                    lines.Add(DeviceOps + "CopyRows(_gpu, " + Ref(input) + ", " + block + ", " + output + ".SubView(" + offset + "), " + s[axis] * inner + ", " + outer + ", " + block + ")");
                }
                offset += block;
            }
            return lines;
        }
    }
}
