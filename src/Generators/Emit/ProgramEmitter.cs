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
    /// What every backend's program emitter shares: the plan and the writer, the program's member order
    /// (<see cref="EmitProgramMembers"/>), the public surface (<see cref="EmitPublicMethods"/>, the ApplyGradients frame,
    /// parameter, sampler and gradient properties), the up-front input checks (<see cref="EmitValidate"/>: the same checks,
    /// names and messages on every backend, since they run on the host before anything is computed), where a value lives
    /// (<see cref="SpanExpression"/>: the plan's slots, aliases and views), each step's prelude (<see cref="EmitStep"/>),
    /// the steps both backends write as one call with the same arguments (<see cref="SharedCall"/>), the shape helpers
    /// and the hoisted constant lists. A backend supplies its runtime's names (<see cref="OpCall"/>), its own steps
    /// (<see cref="BackendCall"/>, fused groups, samplers, sparse gradients) and its members.
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
        /// of <paramref name="batch"/>): the same workspace offsets on every backend (aliases followed to their source,
        /// a view's rows inside its owner's buffer), a user input where the backend keeps it.</summary>
        protected string SpanExpression(ValueRef v, string batch)
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
            string? own = OwnSlotExpression(owner, len);
            if (own != null) return own;
            switch (slot.Kind)
            {
                case BufferKind.UserInput: return UserInputExpression(owner, len);
                case BufferKind.Parameter: return CSharpNames.Property(Graph[owner.Node].Attributes.String("name")) + ".Data";
                case BufferKind.Long: return "_ws.Longs(" + slot.Offset + ", " + len + ")";
                case BufferKind.Float: return "_ws.Floats(" + slot.Offset + ", " + len + ")";
                default: throw new System.InvalidOperationException("t" + owner.Node + " has no memory of its own (" + slot.Kind + "): a fused-away value is never read outside its group.");
            }
        }

        /// <summary>Where a user input lives (<paramref name="length"/>: its live elements).</summary>
        protected abstract string UserInputExpression(ValueRef input, string length);

        /// <summary>A value the backend keeps outside the plan's slots, or null.</summary>
        protected virtual string? OwnSlotExpression(ValueRef owner, string length) => null;

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

        /// <summary>The Step property of a program with samplers.</summary>
        protected void EmitStepProperty()
        {
            _w.Line();
            _w.Line("/// <summary>The sampling step: candidates are a pure function of (seed, Step). Each Forward or ForwardBackward");
            _w.Line("/// uses the current step and then advances it by one; set it to replay or resume a run.</summary>");
            _w.Line("public long Step { get; set; }");
        }

        /// <summary>A sampler's Philox key and stream (TF's seeds when the graph seed is unset and the op seed is given,
        /// spec 3.9), as C# literals.</summary>
        protected static (string Seed, string Stream) SamplerSeeds(IrNode n) =>
            (CSharpNames.ULong(TfSeeds.DefaultGraphSeed), CSharpNames.ULong((ulong)TfSeeds.Stream(n.Attributes.Int("seed"))));

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

        // ---- Steps: what every backend does alike ------------------------------------------------------------------

        /// <summary>True while writing FillConstants (constant nodes are computed there, once, at full capacity).</summary>
        protected bool _fillingConstants;

        /// <summary>The start of a call into the backend's runtime op <paramref name="family"/>.<paramref name="name"/>
        /// (the CPU's <c>Ops.Reduce.Sum(</c>; the device's <c>DeviceOps.ReduceSum(_gpu, </c>), up to its first argument.</summary>
        protected abstract string OpCall(string family, string name);

        /// <summary>Whether the step of a lookup the plan leaves unstored is skipped (the CPU's GEMM reads its rows by id).</summary>
        protected virtual bool SkipsReadFromTable => true;

        /// <summary>The comment of a user input's (empty) step.</summary>
        protected abstract string InputComment { get; }

        /// <summary>One step of the plan: the comment and the cases every backend writes alike (fused away, fused group,
        /// constant, view, loss-computed, in-place concat, leaves, views of their input, sparse row gradients, samplers),
        /// then the backend's call (<see cref="EmitCall"/>).</summary>
        protected void EmitStep(IrNode node)
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
            if (SkipsReadFromTable && _plan.IsReadFromTable(node.Id))
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
                    EmitSampledValues(node);
                    return;
                case OpKind.Constant:
                    EmitConstant(node);
                    return;
                case OpKind.Input:
                    _w.Line(a.Find("internal") != null ? "// (filled by ForwardBackward: ones, or the caller's outputGradient)" : InputComment);
                    return;
                case OpKind.Parameter:
                    EmitParameterStep(node);
                    return;
                case OpKind.Reshape:
                case OpKind.StopGradient:
                case OpKind.EmbeddingRowsGrad when double.IsNaN(a.Double("maxNorm")):
                    _w.Line("// (a view of " + LocalName(x[0]) + ": no copy)");
                    return;
                case OpKind.SparseRowGradient:
                    EmitSparseRowGradient(node);
                    return;
            }
            if (IsSampler(node.Kind))
            {
                EmitSampler(node);
                return;
            }
            EmitCall(node);
        }

        /// <summary>The program class's members, in the order every backend writes them: MaxBatch, the backend's fields
        /// (<paramref name="fields"/>), the call state and CheckInputs; constructor, parameters, samplers, gradients, the
        /// public methods, the backend's other members (<paramref name="members"/>), the checks (<paramref name="validate"/>),
        /// <paramref name="beforeRuns"/>, FillConstants, the forward and backward runs and the hoisted constants.</summary>
        protected void EmitProgramMembers(System.Action fields, System.Action members, System.Action validate, System.Action beforeRuns)
        {
            _w.Line("/// <summary>The largest batch a call may run (the batch declared in the graph).</summary>");
            _w.Line("public const int MaxBatch = " + _plan.MaxBatch + ";");
            _w.Line();
            fields();
            if (Gradients != null) _w.Line("private int _gradientBatch;   // the batch of the last ForwardBackward, which the gradient views cover");
            _w.Line("private int _busy;            // 1 while a call runs (CallGuard)");
            _w.Line();
            _w.Line("/// <summary>Check float inputs for NaN and infinities before running (on by default).</summary>");
            _w.Line("public bool CheckInputs { get; set; } = true;");
            EmitConstructor();
            EmitParameters();
            EmitSamplers();
            EmitGradientMembers();
            EmitPublicMethods();
            members();
            validate();
            beforeRuns();
            EmitFillConstants();
            EmitRun(RunForwardMethod, 0, _plan.ForwardCount);
            if (Gradients != null) EmitRun(RunBackwardMethod, _plan.ForwardCount, Graph.Nodes.Count);
            EmitConstants();
        }

        protected abstract void EmitConstructor();

        protected abstract void EmitParameters();

        protected abstract void EmitSamplers();

        /// <summary>A run method (forward or backward) over the steps [from, to).</summary>
        protected abstract void EmitRun(string method, int from, int to);

        /// <summary>The steps of a run method, in plan order, a blank line between steps.</summary>
        protected void EmitSteps(int from, int to)
        {
            for (int id = from; id < to; id++)
            {
                if (id > from) _w.Line();
                EmitStep(Graph[id]);
            }
        }

        protected abstract void EmitFusedGroup(FusedGroup group);

        protected abstract void EmitSampledValues(IrNode node);

        protected abstract void EmitParameterStep(IrNode node);

        protected abstract void EmitSparseRowGradient(IrNode node);

        protected abstract void EmitSampler(IrNode node);

        /// <summary>Every other step: its output declared, then the statements (shared, else the backend's), one per line.</summary>
        private void EmitCall(IrNode node)
        {
            var v = new ValueRef(node.Id);
            string output = HasBuffer(v) ? Declare(v) : "";
            foreach (var statement in SharedCall(node, output) ?? BackendCall(node, output)) _w.Line(statement + ";");
        }

        /// <summary>Whether a step's output has a buffer to declare in this backend (the CPU writes a product added into a
        /// sparse gradient straight into its slots).</summary>
        protected virtual bool HasBuffer(ValueRef v) => true;

        /// <summary>The sparse gradient property of a SparseRowGradient node.</summary>
        protected string SparseGradientProperty(IrNode sparse) => GradientProperty(Gradients!.Targets.First(t => t.Gradient.Node == sparse.Id));

        /// <summary>The statements of a step <see cref="SharedCall"/> does not write (each written on its own line).</summary>
        protected abstract IEnumerable<string> BackendCall(IrNode node, string output);

        /// <summary>A fused group's comment (one line per op), its destination declared, its rows and its operands (the
        /// backend's operand constructors, <paramref name="operand"/> + Full/Row/Column/Scalar).</summary>
        protected (string Destination, string Rows, List<string> Operands) FusedGroupPrelude(FusedGroup group, string operand)
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
                    case FusedLayout.Full: operands.Add(operand + "Full(" + Ref(o.Value) + ", " + RowStride(o.Value) + ")"); break;
                    case FusedLayout.Row: operands.Add(operand + "Row(" + Ref(o.Value) + ")"); break;
                    case FusedLayout.Column: operands.Add(operand + "Column(" + Ref(o.Value) + ")"); break;
                    default: operands.Add(operand + "Scalar(" + Ref(o.Value) + ")"); break;
                }
            }
            return (dst, rows, operands);
        }

        /// <summary>The accidental-hit masks a fused group applies after its pass (<paramref name="applyHits"/>: the
        /// backend's ApplyHits call up to its first argument).</summary>
        protected void EmitGroupHits(FusedGroup group, string destination, string applyHits)
        {
            foreach (int hits in group.Hits)
            {
                var h = Graph[hits];
                _w.Line(applyHits + Ref(h.Inputs[0]) + ", " + h.Attributes.Int("numTrue") + ", " + Ref(h.Inputs[1]) + ", " + destination + ", " + RowStride(new ValueRef(group.Root)) + ");");
            }
        }

        /// <summary>A constant's fill: one value everywhere (<see cref="FillLine"/>), or its values (per row when batched)
        /// from a static array (<see cref="FillRowsLine"/>).</summary>
        protected void EmitConstant(IrNode node)
        {
            var a = node.Attributes;
            var v = new ValueRef(node.Id);
            string local = Declare(v);
            var values = a.Get("values").Doubles;
            bool isLong = (DType)a.Int("dtype") == DType.Int64;
            if (values.Count == 0)
            {
                _w.Line(FillLine(local, isLong ? CSharpNames.Long((long)a.Double("value")) : CSharpNames.Float(a.Double("value"))));
                return;
            }
            _w.Line(FillRowsLine(isLong ? LongArray(values) : FloatArray(values), local, v));
        }

        protected abstract string FillLine(string destination, string value);

        protected abstract string FillRowsLine(string array, string destination, ValueRef v);

        /// <summary>Copies a whole value into another of the same length.</summary>
        protected abstract string CopyLine(string source, string destination);

        /// <summary>Constants (and concatenations of them) are computed here, once, for the full batch capacity.</summary>
        protected void EmitFillConstants()
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

        /// <summary>The statements of the steps both backends write as one runtime call with the same arguments (the CPU
        /// op and its device version take them in the same order), or null for a backend's own steps.</summary>
        private IEnumerable<string>? SharedCall(IrNode node, string output)
        {
            var x = node.Inputs;
            var a = node.Attributes;
            var v = new ValueRef(node.Id);
            switch (node.Kind)
            {
                case OpKind.BiasAdd:
                case OpKind.Add:
                case OpKind.Subtract:
                case OpKind.Multiply:
                case OpKind.Divide:
                    return new[] { Binary(node, output) };
                case OpKind.Log:
                    return new[] { OpCall("Elementwise", "Log") + Ref(x[0]) + ", " + output + ")" };
                case OpKind.MaskPadding:
                    return new[] { OpCall("Elementwise", "MaskPadding") + Ref(x[0]) + ", " + Ref(x[1]) + ", " + CSharpNames.Float(a.Double("fill")) + ", " + output + ")" };
                case OpKind.LabelWeights:
                    return new[] { OpCall("Losses", "LabelWeights") + Ref(x[0]) + ", " + Dim(x[0], 1) + ", " + output + ")" };
                case OpKind.Negate:
                    return new[] { OpCall("Elementwise", "Negate") + Ref(x[0]) + ", " + output + ")" };
                case OpKind.AddN:
                    return new[] { CopyLine(Ref(x[0]), output) }.Concat(x.Skip(1).Select(i => OpCall("Elementwise", "Accumulate") + Ref(i) + ", " + output + ")"));
                case OpKind.Concat:
                    return Concat(node, output);
                case OpKind.Slice:
                {
                    int axis = (int)a.Int("axis");
                    var s = _plan.TypeOf(x[0]).Shape;
                    long inner = Inner(s, axis);
                    return new[] { OpCall("Layout", "CopyOut") + Ref(x[0]) + ", " + Product(x[0], 0, axis) + ", " + s[axis] * inner + ", " + a.Int("begin") * inner + ", " + output + ", " + a.Int("size") * inner + ")" };
                }
                case OpKind.ReduceSum:
                case OpKind.ReduceLogSumExp:
                {
                    var s = _plan.TypeOf(x[0]).Shape;
                    int axis = Axis(a, s.Rank);
                    string fn = node.Kind == OpKind.ReduceSum ? "Sum" : "LogSumExp";
                    return new[] { OpCall("Reduce", fn) + Ref(x[0]) + ", " + Product(x[0], 0, axis) + ", " + Dim(x[0], axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.BroadcastAlongAxis:
                {
                    var s = _plan.TypeOf(v).Shape;
                    int axis = (int)a.Int("axis");
                    return new[] { OpCall("Reduce", "BroadcastAlong") + Ref(x[0]) + ", " + Product(v, 0, axis) + ", " + Dim(v, axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.ReduceLogSumExpGrad:
                {
                    var s = _plan.TypeOf(x[1]).Shape;
                    int axis = (int)a.Int("axis");
                    return new[] { OpCall("Reduce", "LogSumExpGradient") + Ref(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + Product(x[1], 0, axis) + ", " + Dim(x[1], axis) + ", " + Inner(s, axis) + ", " + output + ")" };
                }
                case OpKind.ReduceToShape when _plan.IsRowSum(node):
                    return new[] { OpCall("Reduce", "SumOverRows") + Ref(x[0]) + ", " + Dim(x[0], 0) + ", " + _plan.TypeOf(x[0]).Shape[1] + ", " + RowStride(x[0]) + ", " + output + ")" };
                case OpKind.ReduceToShape:
                    return new[] { OpCall("Elementwise", "ReduceTo") + Ref(x[0]) + ", " + output + ", " + Dims4(x[0]) + ", " + Strides4(x[0], v) + ", batch)" };
                case OpKind.SoftmaxCrossEntropyWithLogits:
                case OpKind.SparseSoftmaxCrossEntropyWithLogits:
                    return CrossEntropyWithGradient(node, output);
                case OpKind.SigmoidCrossEntropyWithLogits:
                    return new[] { OpCall("Losses", "SigmoidCrossEntropy") + Ref(x[0]) + ", " + Ref(x[1]) + ", " + output + ")" };
                case OpKind.SoftmaxCrossEntropyGrad:
                    return new[]
                    {
                        a.String("wrt") == "labels"
                            ? OpCall("Losses", "SoftmaxCrossEntropyLabelsGradient") + Ref(x[0]) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")"
                            : OpCall("Losses", "SoftmaxCrossEntropyLogitsGradient") + Ref(x[0]) + ", " + Ref(x[1]) + ", " + LabelStride(node) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")",
                    };
                case OpKind.SparseSoftmaxCrossEntropyGrad:
                    return new[] { OpCall("Losses", "SparseSoftmaxCrossEntropyGradient") + Ref(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + Dim(x[2], 0) + ", " + Dim(x[2], 1) + ", " + output + ")" };
                case OpKind.SigmoidCrossEntropyGrad:
                    return new[]
                    {
                        a.String("wrt") == "labels"
                            ? OpCall("Losses", "SigmoidCrossEntropyLabelsGradient") + Ref(x[0]) + ", " + Ref(x[2]) + ", " + output + ")"
                            : OpCall("Losses", "SigmoidCrossEntropyLogitsGradient") + Ref(x[0]) + ", " + Ref(x[1]) + ", " + Ref(x[2]) + ", " + output + ")",
                    };
                default:
                    return null;
            }
        }

        /// <summary>A cross-entropy loss step: in a training call whose upstream gradient is known before the forward pass,
        /// the loss and its logits gradient in one pass (the gradient's own step then does nothing).</summary>
        private IEnumerable<string> CrossEntropyWithGradient(IrNode node, string output)
        {
            var x = node.Inputs;
            bool sparse = node.Kind == OpKind.SparseSoftmaxCrossEntropyWithLogits;
            string labels = sparse ? Ref(x[0]) : Ref(x[0]) + ", " + LabelStride(node);
            string shape = Dim(x[1], 0) + ", " + Dim(x[1], 1);
            string lossOnly = OpCall("Losses", sparse ? "SparseSoftmaxCrossEntropy" : "SoftmaxCrossEntropy") + labels + ", " + Ref(x[1]) + ", " + shape + ", " + output + ")";
            int gradient = _plan.GradientComputedWith(node.Id);
            if (gradient < 0) return new[] { lossOnly };
            string withGradient = OpCall("Losses", sparse ? "SparseSoftmaxCrossEntropyWithLogitsGradient" : "SoftmaxCrossEntropyWithLogitsGradient")
                + Ref(Gradients!.Seed) + ", " + labels + ", " + Ref(x[1]) + ", " + shape + ", " + output + ", " + SpanExpression(new ValueRef(gradient), "batch") + ")";
            return new[] { "if (" + WithGradients + ") " + withGradient, "else " + lossOnly };
        }

        private string Binary(IrNode node, string output)
        {
            var x = node.Inputs;
            string op = node.Kind == OpKind.BiasAdd || node.Kind == OpKind.Add ? "Add" : node.Kind == OpKind.Subtract ? "Subtract" : node.Kind == OpKind.Multiply ? "Multiply" : "Divide";
            var v = new ValueRef(node.Id);
            var s = _plan.TypeOf(v).Shape;
            string call = OpCall("Elementwise", "Binary") + Ops + "BinaryOp." + op + ", " + Ref(x[0]) + ", " + Ref(x[1]) + ", " + output;
            if (_plan.TypeOf(x[0]).Shape.Equals(s) && _plan.TypeOf(x[1]).Shape.Equals(s)) return call + ")";
            return call + ", " + Dims4(v) + ", " + Strides4(v, x[0]) + ", " + Strides4(v, x[1]) + ", batch)";
        }

        /// <summary>A concat: each input not already written in place copied into its columns (<c>Layout.CopyIn</c>, which
        /// takes the destination offset as an argument, so no view is formed at batch 0).</summary>
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
                if (!IsView(input)) lines.Add(OpCall("Layout", "CopyIn") + Ref(input) + ", " + outer + ", " + block + ", " + output + ", " + s[axis] * inner + ", " + offset + ")");
                offset += block;
            }
            return lines;
        }

        // ---- Members: what every backend declares alike ----------------------------------------------------------------

        /// <summary>The ParameterTable.SharedOrNew expression of a parameter (the caller's table, checked, or a new one).</summary>
        protected static string SharedOrNewTable(IrNode p)
        {
            var a = p.Attributes;
            var dims = a.Ints("dims");
            string name = a.String("name");
            return Buffers + "ParameterTable.SharedOrNew(" + CSharpNames.Parameter(name) + ", "
                + CSharpNames.StringLiteral(CSharpNames.Parameter(name).TrimStart('@')) + ", " + CSharpNames.StringLiteral(name) + ", "
                + dims[0] + ", " + (dims.Count > 1 ? dims[1] : 1) + ", " + a.Int("shards") + ", global::GraphSampling.Partition." + (Partition)a.Int("partition") + ")";
        }

        /// <summary>One property per parameter (<paramref name="type"/>), its summary ending with <paramref name="where"/>.</summary>
        protected void EmitParameterProperties(string type, string where)
        {
            foreach (int id in _plan.Parameters)
            {
                var a = Graph[id].Attributes;
                var dims = a.Ints("dims");
                string name = a.String("name");
                _w.Line();
                _w.Line("/// <summary>Parameter '" + name + "' [" + string.Join(", ", dims) + "], " + a.Int("shards") + " shard(s), " + (Partition)a.Int("partition") + where + ".</summary>");
                _w.Line("public " + type + " " + CSharpNames.Property(name) + " { get; }");
            }
        }

        /// <summary>One gradient property per target: <see cref="EmitSparseGradientMember"/> or <see cref="EmitDenseGradientMember"/>.</summary>
        protected void EmitGradientMembers()
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
                    EmitSparseGradientMember(target, prop, dims[0], dims.Count > 1 ? dims[1] : 1, CSharpNames.Int(System.Math.Min(dims[0], MaxRowIds(target))));
                }
                else
                {
                    EmitDenseGradientMember(target, prop, type.Shape);
                }
            }
        }

        protected abstract void EmitSparseGradientMember(GradientTarget target, string property, long rows, long width, string maxEntries);

        protected abstract void EmitDenseGradientMember(GradientTarget target, string property, Shape shape);

        /// <summary>The parameters' gradient targets (inputs' gradients are not parameters).</summary>
        protected List<GradientTarget> ParameterTargets() =>
            Gradients == null ? new List<GradientTarget>() : Gradients.Targets.Where(t => Graph[t.Source].Kind == OpKind.Parameter).ToList();

        /// <summary>ApplyGradients(optimizer) for <paramref name="optimizer"/>'s type: one step over every parameter's
        /// gradient of the last ForwardBackward, with the global norm when the optimizer clips (<paramref name="norm"/>
        /// writes each target's "_squares += ..." lines, <paramref name="update"/> its update).</summary>
        protected void EmitApplyGradients(string optimizer, string[] summary, System.Action<GradientTarget> norm, System.Action<GradientTarget> update)
        {
            var parameters = ParameterTargets();
            if (parameters.Count == 0) return;
            _w.Line();
            foreach (var line in summary) _w.Line(line);
            _w.Block("public void ApplyGradients(" + optimizer + " optimizer)", () =>
            {
                _w.Line("global::System.ArgumentNullException.ThrowIfNull(optimizer);");
                GuardedBody(() =>
                {
                    _w.Line("double _squares = 0;");
                    _w.Block("if (optimizer.NeedsGlobalNorm)", () =>
                    {
                        foreach (var t in parameters) norm(t);
                    });
                    _w.Line("optimizer.BeginStep(_squares);");
                    foreach (var t in parameters) update(t);
                    _w.Line("optimizer.EndStep();");
                });
            });
        }

        // ---- Public methods: the same surface, checks and order on every backend -----------------------------------------

        /// <summary>The body of Forward after the checks (inputs in, run, outputs out).</summary>
        protected abstract void EmitForwardBody(string sep, string args, string outputArgs);

        /// <summary>The line that sets the upstream gradient to ones.</summary>
        protected abstract string FillSeedLine(string seed);

        /// <summary>The line that copies the caller's outputGradient into the upstream gradient.</summary>
        protected abstract string CopyOutputGradientLine(string seed);

        /// <summary>The body of the private forward-backward run (after the upstream gradient is in place).</summary>
        protected abstract void EmitForwardBackwardBody(string sep, string args, string outputArgs);

        /// <summary>What follows the public methods (a backend's private helpers they call).</summary>
        protected virtual void EmitAfterPublicMethods()
        {
        }

        /// <summary>Forward, both ForwardBackwards (ones, or the caller's upstream gradient) and the private run they share.</summary>
        protected void EmitPublicMethods()
        {
            string inputs = InputParameters();
            string args = InputArguments();
            string sep = inputs.Length > 0 ? ", " : "";
            string outputs = OutputParameters(), outputArgs = OutputArguments();

            _w.Line();
            _w.Line("/// <summary>Runs the graph on <paramref name=\"batch\"/> rows and writes " + OutputsDescription() + ".");
            _w.Line("/// The gradients of the last ForwardBackward are left as they were.</summary>");
            _w.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
            _w.Block("public void Forward(int batch" + sep + inputs + ", " + outputs + ")", () => GuardedBody(() =>
            {
                _w.Line(ValidateMethod + "(batch" + sep + args + ", " + outputArgs + ");");
                EmitForwardBody(sep, args, outputArgs);
            }));

            if (Gradients == null)
            {
                EmitAfterPublicMethods();
                return;
            }
            var seed = SpanExpression(Gradients.Seed, "batch");
            string differentiated = Graph.ExtraOutputs.Count == 0 ? "output element" : "element of <paramref name=\"" + Graph.OutputName + "\"/>, the other outputs not differentiated";
            _w.Line();
            _w.Line("/// <summary>Forward, then backward with an upstream gradient of 1 for every " + differentiated + " (the gradient of the summed loss).</summary>");
            _w.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
            _w.Block("public void ForwardBackward(int batch" + sep + inputs + ", " + outputs + ")", () => GuardedBody(() =>
            {
                _w.Line(ValidateMethod + "(batch" + sep + args + ", " + outputArgs + ");");
                _w.Line(FillSeedLine(seed));
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
                _w.Line(CopyOutputGradientLine(seed));
                _w.Line(RunForwardBackwardMethod + "(batch" + sep + args + ", " + outputArgs + ");");
            }));
            _w.Line();
            _w.Block("private void " + RunForwardBackwardMethod + "(int batch" + sep + inputs + ", " + outputs + ")", () => EmitForwardBackwardBody(sep, args, outputArgs));
            EmitAfterPublicMethods();
        }

        /// <summary>The withGradients argument of a forward run, when the plan has one.</summary>
        protected string WithGradientsArgument(bool on) => _plan.HasGradientsInForward ? ", " + WithGradients + ": " + (on ? "true" : "false") : "";

        /// <summary>The withGradients parameter of the forward run method, when the plan has one.</summary>
        protected string WithGradientsParameter(string method) => method == RunForwardMethod && _plan.HasGradientsInForward ? ", bool " + WithGradients : "";
    }
}
