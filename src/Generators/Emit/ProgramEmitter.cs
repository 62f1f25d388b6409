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
    /// What every backend's program emitter shares: the plan and the writer, the public surface's names and signatures
    /// (inputs, outputs, samplers, gradients), the up-front input checks (<see cref="EmitValidate"/>: the same checks,
    /// names and messages on every backend, since they run on the host before anything is computed), the shape helpers and
    /// the hoisted constant lists. A backend supplies where a value lives (<see cref="SpanExpression"/>) and its program.
    /// </summary>
    internal abstract class ProgramEmitter
    {
        protected ProgramEmitter(GraphHeader spec, ProgramPlan plan, string version, bool allowUnsafe)
        {
            _skipLocalsInit = allowUnsafe;
            _spec = spec;
            _plan = plan;
            _version = version;
        }

        /// <summary>Whether any constant node is batched (FillConstants then needs its <c>batch</c> local).</summary>
        protected bool ConstantsUseBatch => _plan.ConstantNodes.Any(id => _plan.TypeOf(new ValueRef(id)).Shape.Batched);

        /// <summary>The nested program class's name ("CpuProgram").</summary>
        protected abstract string ProgramClass { get; }

        /// <summary>The memory that holds a value, as an expression usable in any method of the program (the live rows
        /// of <paramref name="batch"/>).</summary>
        protected abstract string SpanExpression(ValueRef v, string batch);

        internal const string Ops = "global::GraphSampling.Runtime.Ops.";
        internal const string Buffers = "global::GraphSampling.Runtime.Buffers.";
        internal const string Cpu = "global::GraphSampling.Runtime.Cpu.";
        protected readonly GraphHeader _spec;
        protected readonly ProgramPlan _plan;
        protected readonly string _version;
        protected readonly IndentedTextWriter _w = new IndentedTextWriter();
        protected readonly Dictionary<string, string> _floatConstants = new Dictionary<string, string>(System.StringComparer.Ordinal);
        protected readonly Dictionary<string, string> _longConstants = new Dictionary<string, string>(System.StringComparer.Ordinal);

        protected readonly bool _skipLocalsInit;

        protected IrGraph Graph => _plan.Graph;
        protected GradientGraph? Gradients => _plan.Gradients;

        protected static bool IsSampler(OpKind kind) => OpSchemas.Of(kind).IsSampler;

        protected IEnumerable<IrNode> Samplers => Graph.Nodes.Where(n => IsSampler(n.Kind));

        protected Dictionary<int, string>? _samplerProperties;

        /// <summary>The program property of a sampler (<see cref="ProgramNames.SamplerProperties"/>: the variable's name
        /// plus "Sampler"); shape inference has already rejected names that would collide.</summary>
        protected string SamplerProperty(IrNode n)
        {
            _samplerProperties ??= ProgramNames.SamplerProperties(Graph);
            return _samplerProperties[n.Id];
        }

        protected string FloatArray(EquatableArray<double> values)
        {
            string name = ProgramNames.ReservedPrefix + "floats" + _floatConstants.Count;
            _floatConstants.Add(name, string.Join(", ", values.Select(CSharpNames.Float)));
            return name;
        }

        protected string LongArray(EquatableArray<double> values)
        {
            string name = ProgramNames.ReservedPrefix + "longs" + _longConstants.Count;
            _longConstants.Add(name, string.Join(", ", values.Select(v => CSharpNames.Long((long)v))));
            return name;
        }

        protected static string GradientProperty(GradientTarget target) => CSharpNames.Property(target.Name) + "Gradient";

        /// <summary>The most ids one step can send into a sparse gradient: the sum of its lookups' id counts.</summary>
        protected long MaxRowIds(GradientTarget target)
        {
            long total = 0;
            var node = Graph[target.Gradient.Node];
            for (int i = 0; i < node.Inputs.Count; i += 2) total += _plan.TypeOf(node.Inputs[i]).Shape.Capacity;
            return total;
        }

        protected IEnumerable<IrNode> UserInputs => _plan.Inputs.Select(id => Graph[id]);

        protected string InputParameters() => string.Join(", ", UserInputs.Select(n =>
            "global::System.ReadOnlySpan<" + DTypeNames.CSharpName((DType)n.Attributes.Int("dtype")) + "> " + CSharpNames.Parameter(n.Attributes.String("name"))));

        protected string InputArguments() => string.Join(", ", UserInputs.Select(n => CSharpNames.Parameter(n.Attributes.String("name"))));

        protected string OutputLength(string batch) => Length(Graph.Output, batch);

        /// <summary>The output span parameters: "output" for one output; one per name, in Define's order, for a tuple.</summary>
        protected string OutputParameters() => string.Join(", ", Graph.AllOutputs.Select(o =>
            "global::System.Span<" + DTypeNames.CSharpName(_plan.TypeOf(o.Value).DType) + "> " + CSharpNames.Parameter(o.Name)));

        protected string OutputArguments() => string.Join(", ", Graph.AllOutputs.Select(o => CSharpNames.Parameter(o.Name)));

        protected string OutputsDescription()
        {
            if (Graph.ExtraOutputs.Count == 0) return "its output " + _plan.TypeOf(Graph.Output).Shape + " (live rows) to <paramref name=\"" + IrGraph.DefaultOutputName + "\"/>";
            return "its outputs (live rows) to " + string.Join(", ", Graph.AllOutputs.Select(o => "<paramref name=\"" + o.Name + "\"/> " + _plan.TypeOf(o.Value)));
        }

        // Every name the generator writes besides the public surface starts with the reserved prefix, which user names
        // may not (ProgramNames), so no input, parameter or sampler can collide with it.
        protected const string ValidateMethod = ProgramNames.ReservedPrefix + "Validate";
        protected const string RunForwardMethod = ProgramNames.ReservedPrefix + "RunForward";
        protected const string RunBackwardMethod = ProgramNames.ReservedPrefix + "RunBackward";
        protected const string RunForwardBackwardMethod = ProgramNames.ReservedPrefix + "RunForwardBackward";
        protected const string FillConstantsMethod = ProgramNames.ReservedPrefix + "FillConstants";
        protected const string WithGradients = ProgramNames.ReservedPrefix + "withGradients";

        protected string ProgramDisplayName => string.Join(".", _spec.Types.Select(t => t.Name)) + "." + ProgramClass;

        /// <summary>A public call: refused while another thread is inside the program (CallGuard), then the body.</summary>
        protected void GuardedBody(System.Action body)
        {
            _w.Line(Ops + "CallGuard.Enter(ref _busy, " + CSharpNames.StringLiteral(ProgramDisplayName) + ");");
            _w.Block("try", body);
            _w.Block("finally", () => _w.Line(Ops + "CallGuard.Exit(ref _busy);"));
        }

        protected void EmitValidate()
        {
            string inputs = InputParameters();
            _w.Line();
            _w.Line("/// <summary>Every check runs before anything is computed or changed, so bad input leaves outputs, gradients and Step untouched.</summary>");
            _w.Block("private void " + ValidateMethod + "(int batch" + (inputs.Length > 0 ? ", " + inputs : "") + ", " + OutputParameters() + ")", () =>
            {
                _w.Line(Ops + "Checks.Batch(batch, MaxBatch);");
                if (Samplers.Any()) _w.Line(Ops + "Checks.Step(Step);");
                foreach (var n in UserInputs)
                {
                    string p = CSharpNames.Parameter(n.Attributes.String("name"));
                    _w.Line(Ops + "Checks.Length(" + p + ", " + Length(new ValueRef(n.Id), "batch") + ", " + ArgumentName(n) + ");");
                }
                foreach (var o in Graph.AllOutputs)
                {
                    _w.Line(Ops + "Checks.Length<" + DTypeNames.CSharpName(_plan.TypeOf(o.Value).DType) + ">(" + CSharpNames.Parameter(o.Name) + ", "
                        + Length(o.Value, "batch") + ", " + CSharpNames.StringLiteral(o.Name) + ");");
                }
                foreach (var check in _plan.IdChecks)
                {
                    var n = Graph[check.Input];
                    string p = CSharpNames.Parameter(n.Attributes.String("name"));
                    var shape = _plan.TypeOf(new ValueRef(n.Id)).Shape;
                    _w.Line(Ops + (check.AllowsPadding ? "Checks.IdsOrPadding(" : "Checks.Ids(") + p + ", " + MessageRowWidth(new ValueRef(n.Id)) + ", " + check.Bound + ", " + ArgumentName(n) + "); // " + check.Reason + (check.AllowsPadding ? " (-1: padding)" : ""));
                }
                foreach (int input in _plan.LabelRowChecks)
                {
                    var n = Graph[input];
                    _w.Line(Ops + "Checks.LabelInEveryRow(" + CSharpNames.Parameter(n.Attributes.String("name")) + ", " + MessageRowWidth(new ValueRef(n.Id)) + ", " + ArgumentName(n) + "); // ragged labels: 1/T per row");
                }
                foreach (int id in _plan.IndexChecks) _w.Line(IndexCheck(Graph[id]) + ";");
                foreach (var check in _plan.PositiveChecks)
                {
                    var n = Graph[check.Input];
                    string p = CSharpNames.Parameter(n.Attributes.String("name"));
                    if (check.PaddingIds >= 0)
                    {
                        // Ragged labels: a count at a -1 label is never used (its logit is masked), so it is not checked.
                        string ids = CSharpNames.Parameter(Graph[check.PaddingIds].Attributes.String("name"));
                        _w.Line(Ops + "Checks.PositiveFiniteOrPadding(" + p + ", " + ids + ", " + MessageRowWidth(new ValueRef(n.Id)) + ", " + ArgumentName(n) + "); // " + check.Role + " where " + ids + " is not -1: the loss takes its log");
                        continue;
                    }
                    _w.Line(Ops + "Checks.PositiveFinite(" + p + ", " + MessageRowWidth(new ValueRef(n.Id)) + ", " + ArgumentName(n) + "); // " + check.Role + ": the loss takes its log");
                }
                var floats = UserInputs.Where(n => (DType)n.Attributes.Int("dtype") == DType.Float32).ToList();
                if (floats.Count > 0)
                {
                    _w.Block("if (CheckInputs)", () =>
                    {
                        foreach (var n in floats)
                        {
                            string p = CSharpNames.Parameter(n.Attributes.String("name"));
                            _w.Line(Ops + "Checks.Finite(" + p + ", " + MessageRowWidth(new ValueRef(n.Id)) + ", " + ArgumentName(n) + ");");
                        }
                    });
                }
            });
        }

        /// <summary>An input's name for check messages, as a string literal: nameof(x) would bind to a user input named
        /// "nameof" instead.</summary>
        protected static string ArgumentName(IrNode input) => CSharpNames.StringLiteral(input.Attributes.String("name"));

        /// <summary>How check messages locate an element: by [row, column] with this row width, or (0) by [index] for a
        /// fixed vector such as sampled ids.</summary>
        protected long MessageRowWidth(ValueRef v)
        {
            var s = _plan.TypeOf(v).Shape;
            return s.Batched || s.Rank >= 2 ? s.RowSize : 0;
        }

        /// <summary>The shape and stride lists the steps pass to broadcasting kernels (-1 marks the batch axis).</summary>
        protected void EmitConstants()
        {
            if (_constants.Count == 0 && _floatConstants.Count == 0 && _longConstants.Count == 0) return;
            _w.Line();
            foreach (var pair in _constants.OrderBy(p => p.Value, System.StringComparer.Ordinal))
            {
                _w.Line("private static readonly int[] " + pair.Value + " = { " + pair.Key + " };");
            }
            foreach (var pair in _floatConstants.OrderBy(p => p.Key, System.StringComparer.Ordinal))
            {
                _w.Line("private static readonly float[] " + pair.Key + " = { " + pair.Value + " };");
            }
            foreach (var pair in _longConstants.OrderBy(p => p.Key, System.StringComparer.Ordinal))
            {
                _w.Line("private static readonly long[] " + pair.Key + " = { " + pair.Value + " };");
            }
        }

        protected readonly HashSet<ValueRef> _declared = new HashSet<ValueRef>();
        protected readonly Dictionary<string, string> _constants = new Dictionary<string, string>(System.StringComparer.Ordinal);

        /// <summary>The number of live elements of a value: "batch * rowSize" for batched values, else a constant.</summary>
        protected string Length(ValueRef v, string batch)
        {
            var s = _plan.TypeOf(v).Shape;
            if (!s.Batched) return s.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture);
            long row = s.RowSize;
            return row == 1 ? batch : batch + " * " + row;
        }

        /// <summary>A dimension as an expression: the batch for the batched axis 0, else its constant.</summary>
        protected string Dim(ValueRef v, int axis)
        {
            var s = _plan.TypeOf(v).Shape;
            return axis == 0 && s.Batched ? "batch" : s[axis].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>Product of dims [from, to) as an expression.</summary>
        protected string Product(ValueRef v, int from, int to)
        {
            var s = _plan.TypeOf(v).Shape;
            long c = 1;
            bool batch = false;
            for (int i = from; i < to; i++)
            {
                if (i == 0 && s.Batched) batch = true;
                else c *= s[i];
            }
            if (!batch) return c.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return c == 1 ? "batch" : "batch * " + c;
        }

        /// <summary>How a step refers to a value: its local when the current method declared one, else the span expression.</summary>
        protected string Ref(ValueRef v)
        {
            return _declared.Contains(v) ? LocalName(v) : SpanExpression(v, "batch");
        }

        protected string LocalName(ValueRef v)
        {
            var node = Graph[v.Node];
            string name = ProgramNames.ReservedPrefix + "t" + node.Id + (v.Output > 0 ? "_" + v.Output : "");
            return node.Name != null ? name + "_" + node.Name : name;
        }

        /// <summary>Declares the output span of a step as a local and returns its name.</summary>
        protected string Declare(ValueRef v)
        {
            string local = LocalName(v);
            _w.Line("var " + local + " = " + SpanExpression(v, "batch") + ";");
            _declared.Add(v);
            return local;
        }

        /// <summary>The distance between a value's rows (its last axis), in elements: the owner's row for a view.</summary>
        protected long RowStride(ValueRef v)
        {
            // Only a view changes the distance: a reshape alias is dense in its own shape.
            var own = _plan.TypeOf(v).Shape;
            while (_plan.SlotOf(v).Kind == BufferKind.Alias) v = _plan.SlotOf(v).AliasOf;
            var slot = _plan.SlotOf(v);
            if (slot.Kind == BufferKind.View) return slot.Stride;
            return own.Rank == 0 ? 1 : own[own.Rank - 1];
        }

        protected bool IsView(ValueRef v) => Schedule.IsView(_plan, v);

        protected string Table(ValueRef parameter) => CSharpNames.Property(Graph[parameter.Node].Attributes.String("name"));

        /// <summary>The distance between label rows: 0 when every row has the same labels.</summary>
        protected string LabelStride(IrNode node) => _plan.SharesLabelRow(node.Id) ? "0" : Dim(node.Inputs[node.Kind == OpKind.SoftmaxCrossEntropyGrad ? 2 : 1], 1);

        protected string IndexCheck(IrNode node) =>
            Ops + "Sparse.CheckIndices(" + Ref(node.Inputs[0]) + ", " + IntList(node.Attributes.Ints("outputShape")) + ", " + Bool(node.Attributes.Bool("validateIndices")) + ", "
            + CSharpNames.StringLiteral(_plan.NameOf(node.Inputs[0])) + ")";

        /// <summary>The output's dims padded on the left to rank 4, with -1 marking the batch axis (the kernel substitutes
        /// the live batch).</summary>
        protected string Dims4(ValueRef v)
        {
            var s = _plan.TypeOf(v).Shape;
            var dims = new List<string>();
            for (int i = 0; i < 4 - s.Rank; i++) dims.Add("1");
            for (int i = 0; i < s.Rank; i++) dims.Add(i == 0 && s.Batched ? "-1" : s[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            return IntSpan(dims);
        }

        /// <summary>Row-major strides of <paramref name="operand"/> aligned to <paramref name="output"/>'s axes (0 where it is
        /// broadcast), padded on the left to rank 4.</summary>
        protected string Strides4(ValueRef output, ValueRef operand)
        {
            var o = _plan.TypeOf(output).Shape;
            var s = _plan.TypeOf(operand).Shape;
            var strides = new long[4];
            long stride = 1;
            for (int i = s.Rank - 1; i >= 0; i--)
            {
                int oi = i + (o.Rank - s.Rank);
                bool broadcast = s[i] == 1 && o[oi] != 1;
                strides[4 - o.Rank + oi] = broadcast ? 0 : stride;
                stride *= s[i];
            }
            return IntSpan(strides.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        protected static long Inner(Shape s, int axis)
        {
            long inner = 1;
            for (int i = axis + 1; i < s.Rank; i++) inner *= s[i];
            return inner;
        }

        protected static int Axis(OpAttributes a, int rank)
        {
            int axis = (int)a.Int("axis");
            return axis < 0 ? axis + rank : axis;
        }

        protected string IntList(EquatableArray<long> values) => IntSpan(values.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        /// <summary>A constant int list, hoisted into a static field of the program (shared by equal lists), so that a
        /// call passes it without allocating.</summary>
        protected string IntSpan(IEnumerable<string> values)
        {
            var list = values.ToList();
            string text = string.Join(", ", list);
            if (!_constants.TryGetValue(text, out var name))
            {
                // Named by content, "B" for the batch axis: _shape_1_1_B_10 reads as the shape [1, 1, B, 10].
                name = ProgramNames.ReservedPrefix + "shape_" + string.Join("_", list.Select(v => v == "-1" ? "B" : v));
                _constants.Add(text, name);
            }
            return name;
        }

        protected static string Bool(bool b) => b ? "true" : "false";
    }
}
