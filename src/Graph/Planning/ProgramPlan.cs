using System;
using System.Collections.Generic;
using GraphSampling.Autodiff;
using GraphSampling.Ir;
using GraphSampling.Schema;
using GraphSampling.Shapes;

namespace GraphSampling.Planning
{
    /// <summary>Where a value lives at run time.</summary>
    public enum BufferKind
    {
        /// <summary>The caller's span for an Input.</summary>
        UserInput = 0,
        /// <summary>A parameter table's storage (id order: one shard or Div).</summary>
        Parameter = 1,
        /// <summary>A slice of the float workspace slab.</summary>
        Float = 2,
        /// <summary>A slice of the int64 workspace slab.</summary>
        Long = 3,
        /// <summary>The same memory as another value (Reshape; row gradients without clipping).</summary>
        Alias = 4,
        /// <summary>A SparseRowGradient object owned by the program.</summary>
        Sparse = 5,
        /// <summary>Rows inside another value's buffer: its rows start at <see cref="BufferSlot.Offset"/> (a column offset
        /// into the owner, <see cref="BufferSlot.AliasOf"/>) and are <see cref="BufferSlot.Stride"/> apart. A concatenation's
        /// inputs written in place by their producers, or a slice of a gradient read where it lies.</summary>
        View = 6,
        /// <summary>Never stored: an intermediate of a fused group (or a mask the group applies itself).</summary>
        Elided = 7,
    }

    public sealed class BufferSlot
    {
        public BufferSlot(BufferKind kind, long offset, long capacity, ValueRef aliasOf, long stride = 0)
        {
            Kind = kind;
            Offset = offset;
            Capacity = capacity;
            AliasOf = aliasOf;
            Stride = stride;
        }

        public BufferKind Kind { get; }
        public long Offset { get; }
        public long Capacity { get; }
        public ValueRef AliasOf { get; }
        /// <summary>For a <see cref="BufferKind.View"/>: the distance between its rows, in elements.</summary>
        public long Stride { get; }
    }

    /// <summary>An id check run before anything else: every id of an Input must lie in [0, Bound), or be -1 when every
    /// reader of it is an embedding bag (<see cref="AllowsPadding"/>).</summary>
    public sealed class IdCheck
    {
        public IdCheck(int input, long bound, string reason, bool allowsPadding = false)
        {
            Input = input;
            Bound = bound;
            Reason = reason;
            AllowsPadding = allowsPadding;
        }

        public int Input { get; }
        public long Bound { get; }
        public string Reason { get; }
        public bool AllowsPadding { get; }
    }

    /// <summary>A fed float input whose every element must be finite and positive (expected counts).</summary>
    public sealed class PositiveCheck
    {
        public PositiveCheck(int input, string role, int paddingIds = -1)
        {
            Input = input;
            Role = role;
            PaddingIds = paddingIds;
        }

        public int Input { get; }
        /// <summary>Ragged labels: the fed labels input whose -1 positions are not checked (their logit is masked, so
        /// any count is ignored there); -1 when every element is checked.</summary>
        public int PaddingIds { get; }
        /// <summary>What the values are, for the message ("sampledExpectedCount").</summary>
        public string Role { get; }
    }

    /// <summary>
    /// Everything the emitters need: the schedule (forward and backward node order), a buffer for every value, the
    /// workspace size, and the checks on inputs. Values are laid out one after another in the slabs; a later plan may
    /// reuse space by liveness, which the emitters do not depend on.
    /// </summary>
    public sealed partial class ProgramPlan : IEquatable<ProgramPlan>
    {
        private readonly Dictionary<ValueRef, BufferSlot> _slots = new Dictionary<ValueRef, BufferSlot>();

        private ProgramPlan(TypedGraph typed, GradientGraph? gradients)
        {
            Typed = typed;
            Gradients = gradients;
        }

        public TypedGraph Typed { get; }
        public GradientGraph? Gradients { get; }
        public IrGraph Graph => Typed.Graph;
        public int ForwardCount => Gradients?.ForwardCount ?? Graph.Nodes.Count;
        /// <summary>Why no program can be emitted for this plan (its workspace exceeds what one array holds), or null.
        /// The analyzer reports it as GS2004; the generator then emits no program.</summary>
        public string? LimitError =>
            FloatWorkspace > Limits.MaxElements || LongWorkspace > Limits.MaxElements
                ? "the program's workspace would need " + Limits.Count(System.Math.Max(FloatWorkspace, LongWorkspace)) + " " + (FloatWorkspace > Limits.MaxElements ? "floats" : "longs")
                    + ", more than one array can index (" + Limits.MaxElementsText + "); make the batch or the largest values smaller."
                : null;

        public long FloatWorkspace { get; private set; }
        public long LongWorkspace { get; private set; }
        public int MaxBatch { get; private set; }
        public List<int> Inputs { get; } = new List<int>();
        public List<int> Parameters { get; } = new List<int>();
        public List<IdCheck> IdChecks { get; } = new List<IdCheck>();

        /// <summary>Fed ragged labels (int64 inputs read by LabelWeights): every row must hold a real label, checked in
        /// Validate before anything runs.</summary>
        public List<int> LabelRowChecks { get; } = new List<int>();

        /// <summary>SparseToDense nodes whose indices come straight from an Input: checked in Validate, before anything runs.</summary>
        public List<int> IndexChecks { get; } = new List<int>();

        /// <summary>Parameters read directly (not only through lookups) whose storage is not in id order: the forward
        /// pass first copies them into a workspace buffer in id order.</summary>
        public List<int> ParametersCopiedToIdOrder { get; } = new List<int>();

        /// <summary>Forward nodes whose value never changes (Constant, and a Concat, Reshape or StopGradient of constants):
        /// computed once when the program is built, at full batch capacity, and skipped by every call.</summary>
        public List<int> ConstantNodes { get; } = new List<int>();

        /// <summary>Fed float inputs that must hold only finite, positive numbers (expected counts that reach a
        /// SampledValues node): checked in Validate, before anything runs.</summary>
        public List<PositiveCheck> PositiveChecks { get; } = new List<PositiveCheck>();

        /// <summary>SampledValues nodes whose counts are computed in the graph: checked where the node runs.</summary>
        public List<int> SampledValuesCheckedInStep { get; } = new List<int>();

        public bool IsConstant(int node) => _constant.Contains(node);

        private readonly HashSet<int> _constant = new HashSet<int>();

        /// <summary>Equal when planned from equal graphs (planning is a pure function of them).</summary>
        public bool Equals(ProgramPlan? other) =>
            other is not null && ForwardCount == other.ForwardCount && (Gradients != null) == (other.Gradients != null) && Typed.Equals(other.Typed);
        public override bool Equals(object? obj) => Equals(obj as ProgramPlan);
        public override int GetHashCode() => Typed.GetHashCode() * 31 + ForwardCount;

        public BufferSlot SlotOf(ValueRef v) => _slots[v];

        /// <summary>Follows aliases to the value that owns the memory.</summary>
        public ValueRef Owner(ValueRef v)
        {
            while (_slots[v].Kind == BufferKind.Alias || _slots[v].Kind == BufferKind.View) v = _slots[v].AliasOf;
            return v;
        }

        /// <summary>The fused groups (one kernel each, run at the group's root).</summary>
        public List<FusedGroup> FusedGroups { get; } = new List<FusedGroup>();

        private readonly Dictionary<int, FusedGroup> _groupOfRoot = new Dictionary<int, FusedGroup>();
        private readonly Dictionary<int, int> _fusedInto = new Dictionary<int, int>();

        /// <summary>The group whose root is this node, if any.</summary>
        public FusedGroup? GroupAt(int node) => _groupOfRoot.TryGetValue(node, out var g) ? g : null;

        /// <summary>The root of the group a node was fused into (an intermediate, or an applied mask), or -1.</summary>
        public int FusedInto(int node) => _fusedInto.TryGetValue(node, out int root) ? root : -1;

        /// <summary>Concat nodes all of whose inputs were written in place: the node itself moves nothing.</summary>
        public bool IsWrittenInPlace(int concat) => _concatsInPlace.Contains(concat);

        private readonly HashSet<int> _concatsInPlace = new HashSet<int>();

        public TensorType TypeOf(ValueRef v) => Typed.TypeOf(v);

        public static ProgramPlan Create(TypedGraph forward, GradientGraph? gradients)
        {
            var typed = gradients?.Typed ?? forward;
            var plan = new ProgramPlan(typed, gradients);
            plan.Layout();
            return plan;
        }

        private void Layout()
        {
            var graph = Graph;
            var directUse = new bool[graph.Nodes.Count];
            foreach (var node in graph.Nodes)
            {
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    var src = graph.Nodes[node.Inputs[i].Node];
                    if (src.Kind != OpKind.Parameter) continue;
                    bool readsTableOnly = ((node.Kind == OpKind.EmbeddingLookup || node.Kind == OpKind.EmbeddingBag) && i == 0)
                        || ((node.Kind == OpKind.EmbeddingRowsGrad || node.Kind == OpKind.EmbeddingBagWeightsGrad) && i == 1);
                    if (!readsTableOnly) directUse[src.Id] = true;
                }
            }

            PlanFusion();
            foreach (var node in graph.Nodes)
            {
                for (int o = 0; o < Typed.OutputCount(node.Id); o++)
                {
                    var v = new ValueRef(node.Id, o);
                    var type = Typed.TypeOf(v);
                    if (type.Shape.Batched)
                    {
                        if (MaxBatch == 0) MaxBatch = type.Shape[0];
                    }
                    _slots[v] = _fusedInto.ContainsKey(node.Id) ? new BufferSlot(BufferKind.Elided, 0, type.Shape.Capacity, default) : SlotFor(node, v, type, directUse);
                }
                if (node.Kind == OpKind.Input && node.Attributes.Find("internal") == null) Inputs.Add(node.Id);
                if (node.Kind == OpKind.Parameter) Parameters.Add(node.Id);
            }
            PlanViews();
            PlanLossPasses();
            AssignOffsets();

            // Ids that index tables or classes are checked up front when they come straight from an Input.
            foreach (var node in graph.Nodes)
            {
                if (node.Id >= ForwardCount) break;
                if (node.Kind == OpKind.Gather) AddIdCheck(node.Inputs[1], GatherAxisLength(node), "indices into " + NameOf(node.Inputs[0]));
                if (node.Kind == OpKind.SampledValues)
                {
                    // Counts whose log a loss takes must be finite and positive: fed ones are checked up front, computed
                    // ones where this node runs.
                    bool fed = true, logged = false;
                    for (int i = 1; i <= 2; i++)
                    {
                        if (!ReachesLog(new ValueRef(node.Id, i))) continue;
                        logged = true;
                        var sources = new List<int>();
                        fed &= FedSources(node.Inputs[i], sources);
                        int padding = i == 1 ? PaddingIdsMaskingLogs(new ValueRef(node.Id, i)) : -1;
                        foreach (int source in sources)
                        {
                            if (!PositiveChecks.Exists(c => c.Input == source)) PositiveChecks.Add(new PositiveCheck(source, i == 1 ? "trueExpectedCount" : "sampledExpectedCount", padding));
                        }
                    }
                    if (logged && !fed) SampledValuesCheckedInStep.Add(node.Id);
                }
                if (node.Kind == OpKind.EmbeddingLookup) AddIdCheck(node.Inputs[1], Typed.TypeOf(node.Inputs[0]).Shape[0], "ids of " + NameOf(node.Inputs[0]), node.Attributes.Flag("padding"));
                if (node.Kind == OpKind.EmbeddingBag) AddIdCheck(node.Inputs[1], Typed.TypeOf(node.Inputs[0]).Shape[0], "ids of " + NameOf(node.Inputs[0]), allowsPadding: true);
                if (node.Kind == OpKind.LabelWeights)
                {
                    // 1/T_i needs T_i >= 1: fed labels are checked for a real label in every row before anything runs.
                    var sources = new List<int>();
                    if (FedSources(node.Inputs[0], sources)) foreach (int source in sources) if (!LabelRowChecks.Contains(source)) LabelRowChecks.Add(source);
                }
                if (node.Kind == OpKind.SparseSoftmaxCrossEntropyWithLogits) AddIdCheck(node.Inputs[0], Typed.TypeOf(node.Inputs[1]).Shape[1], "class labels");
                if (node.Kind == OpKind.SparseToDense && graph.Nodes[node.Inputs[0].Node].Kind == OpKind.Input) IndexChecks.Add(node.Id);
                if (OpSchemas.Of(node.Kind).IsSampler)
                {
                    // TF 2.x rejects true classes outside the sampler's range (the All sampler's range is numSampled).
                    long range = node.Kind == OpKind.AllCandidateSampler ? node.Attributes.Int("numSampled") : node.Attributes.Int("rangeMax");
                    AddIdCheck(node.Inputs[0], range, "true classes of the sampler", node.Attributes.Flag("raggedTrueClasses"));
                }
            }
        }

        private long GatherAxisLength(IrNode gather)
        {
            var p = Typed.TypeOf(gather.Inputs[0]).Shape;
            long axis = gather.Attributes.Int("axis");
            return p[(int)(axis < 0 ? axis + p.Rank : axis)];
        }

        private bool AllInputsConstant(IrNode node)
        {
            foreach (var input in node.Inputs)
            {
                if (!_constant.Contains(input.Node)) return false;
            }
            return node.Inputs.Count > 0;
        }

        private BufferSlot SlotFor(IrNode node, ValueRef v, TensorType type, bool[] directUse)
        {
            long capacity = type.Shape.Capacity;
            // Constant slots are written once, in the constructor: a later buffer reuse must keep them out of its pool.
            if (node.Id < ForwardCount && v.Output == 0 && (node.Kind == OpKind.Constant
                || ((node.Kind == OpKind.Concat || node.Kind == OpKind.Reshape || node.Kind == OpKind.StopGradient) && AllInputsConstant(node))))
            {
                _constant.Add(node.Id);
                ConstantNodes.Add(node.Id);
            }
            switch (node.Kind)
            {
                case OpKind.SampledValues:
                    return new BufferSlot(BufferKind.Alias, 0, capacity, node.Inputs[v.Output]);
                case OpKind.Input:
                    if (node.Attributes.Find("internal") != null) break;  // the seed gradient: a workspace buffer
                    return new BufferSlot(BufferKind.UserInput, 0, capacity, default);
                case OpKind.Parameter:
                    if (directUse[node.Id] && node.Attributes.Int("shards") > 1 && node.Attributes.Int("partition") == (long)Partition.Mod)
                    {
                        ParametersCopiedToIdOrder.Add(node.Id);
                        break;
                    }
                    return new BufferSlot(BufferKind.Parameter, 0, capacity, default);
                case OpKind.Reshape:
                case OpKind.StopGradient:
                    return new BufferSlot(BufferKind.Alias, 0, capacity, node.Inputs[0]);
                case OpKind.EmbeddingRowsGrad:
                    if (double.IsNaN(node.Attributes.Double("maxNorm"))) return new BufferSlot(BufferKind.Alias, 0, capacity, node.Inputs[0]);
                    break;
                case OpKind.SparseRowGradient:
                    return new BufferSlot(BufferKind.Sparse, 0, capacity, default);
                case OpKind.MatMul when RowGradientTakingProduct(node, v) is (int sparse, bool distinct):
                    _addedIntoRowGradient[node.Id] = sparse;
                    if (distinct) return new BufferSlot(BufferKind.Elided, 0, capacity, default);
                    _rowGradientChecksIds.Add(node.Id);   // fed candidates: a buffer for the step whose ids repeat
                    break;
                case OpKind.EmbeddingLookup when IsReadOnlyByMatMuls(node, v):
                    _readFromTable.Add(node.Id);
                    return new BufferSlot(BufferKind.Elided, 0, capacity, default);
            }
            // A workspace value: its offset is chosen by liveness once every value is known (AssignOffsets).
            _workspaceValues.Add(v);
            return new BufferSlot(type.DType == DType.Int64 ? BufferKind.Long : BufferKind.Float, -1, capacity, default);
        }

        private readonly List<ValueRef> _workspaceValues = new List<ValueRef>();

        private readonly HashSet<int> _readFromTable = new HashSet<int>();

        /// <summary>
        /// Lookups never stored: every reader is a MatMul taking them as B, and each such MatMul reads the table rows of
        /// the lookup's ids where they lie (the GEMM's packing is the gather). Sampled softmax's [K, D] sampled weights
        /// (the logits product and the input gradient's product) are the case that matters: no [K, D] copy.
        /// </summary>
        public bool IsReadFromTable(int lookup) => _readFromTable.Contains(lookup);

        private readonly Dictionary<int, int> _addedIntoRowGradient = new Dictionary<int, int>();

        private readonly HashSet<int> _rowGradientChecksIds = new HashSet<int>();

        /// <summary>
        /// The SparseRowGradient node a MatMul's product is added into row by row, or -1. It is the table gradient of a
        /// lookup by sampled candidates (sampled softmax's [K, D] weight gradient), the gradient's first list: when the
        /// ids are distinct the GEMM adds each product row into its id's slot, and the sums are those of copying the rows
        /// and adding them. A unique sampler's candidates are distinct, so that product is never stored; fed candidates
        /// (<c>SampledValues</c>) are checked each step (<see cref="RowGradientChecksIds"/>).
        /// </summary>
        public int RowGradientTaking(int matMul) => _addedIntoRowGradient.TryGetValue(matMul, out int sparse) ? sparse : -1;

        /// <summary>Whether the ids of <see cref="RowGradientTaking"/> may repeat (fed candidates): the product then keeps a
        /// buffer, and a step whose ids repeat makes it and adds its rows instead.</summary>
        public bool RowGradientChecksIds(int matMul) => _rowGradientChecksIds.Contains(matMul);

        private (int Sparse, bool Distinct)? RowGradientTakingProduct(IrNode matMul, ValueRef v)
        {
            if (Uses(v) != 1) return null;
            IrNode? rowsGrad = SoleReader(v);
            if (rowsGrad == null || rowsGrad.Kind != OpKind.EmbeddingRowsGrad || !rowsGrad.Inputs[0].Equals(v) || !double.IsNaN(rowsGrad.Attributes.Double("maxNorm"))) return null;
            var rows = new ValueRef(rowsGrad.Id);
            if (Uses(rows) != 1) return null;
            IrNode? sparse = SoleReader(rows);
            if (sparse == null || sparse.Kind != OpKind.SparseRowGradient || !sparse.Inputs[1].Equals(rows) || sparse.Inputs[0].Output != 0) return null;
            var ids = Graph[sparse.Inputs[0].Node];
            if (Typed.TypeOf(sparse.Inputs[0]).Shape.Rank != 1) return null;
            bool distinct = OpSchemas.Of(ids.Kind).IsSampler && ids.Attributes.Find("unique") != null && ids.Attributes.Bool("unique");
            if (distinct) return (sparse.Id, true);
            // Fed candidates (SampledValues) could be checked each step, but measured on rec-softmax4 the check and the
            // scattered writes cost more than the copy they save (docs/performance.md): they keep the plain path.
            return null;
        }

        /// <summary>The one node that reads a value (null when none or several do).</summary>
        private IrNode? SoleReader(ValueRef v)
        {
            IrNode? reader = null;
            foreach (var node in Graph.Nodes)
            {
                foreach (var input in node.Inputs)
                {
                    if (!input.Equals(v)) continue;
                    if (reader != null && reader.Id != node.Id) return null;
                    reader = node;
                }
            }
            return reader;
        }

        /// <summary>A plain lookup (no max norm, no padding) of a 2-D table by a 1-D list of ids, whose every use is as
        /// the B operand of a MatMul.</summary>
        private bool IsReadOnlyByMatMuls(IrNode lookup, ValueRef v)
        {
            if (!double.IsNaN(lookup.Attributes.Double("maxNorm")) || lookup.Attributes.Flag("padding")) return false;
            if (Graph[lookup.Inputs[0].Node].Kind != OpKind.Parameter || Typed.TypeOf(lookup.Inputs[0]).Shape.Rank != 2) return false;
            if (Typed.TypeOf(lookup.Inputs[1]).Shape.Rank != 1 || Typed.TypeOf(v).Shape.Batched) return false;
            int readers = 0;
            foreach (var node in Graph.Nodes)
            {
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    if (!node.Inputs[i].Equals(v)) continue;
                    if (node.Kind != OpKind.MatMul || i != 1) return false;
                    readers++;
                }
            }
            return readers > 0 && readers == Uses(v);
        }

        private Dictionary<ValueRef, int>? _uses;

        /// <summary>How many places read a value: nodes (forward and backward), plus the caller for the output, the dense
        /// gradients and the upstream gradient. A value read once can live inside its reader's kernel.</summary>
        private int Uses(ValueRef v)
        {
            if (_uses == null)
            {
                _uses = new Dictionary<ValueRef, int>();
                void Count(ValueRef u) => _uses[u] = _uses.TryGetValue(u, out int n) ? n + 1 : 1;
                foreach (var node in Graph.Nodes)
                {
                    foreach (var input in node.Inputs) Count(input);
                }
                foreach (var output in Graph.AllOutputs) Count(output.Value);
                if (Gradients != null)
                {
                    Count(Gradients.Seed);
                    foreach (var target in Gradients.Targets) Count(target.Gradient);
                }
            }
            return _uses.TryGetValue(v, out int uses) ? uses : 0;
        }

        private void PlanFusion()
        {
            foreach (var group in FusionPlanner.Plan(Typed, Uses))
            {
                FusedGroups.Add(group);
                _groupOfRoot[group.Root] = group;
                foreach (int node in group.Nodes)
                {
                    if (node != group.Root) _fusedInto[node] = group.Root;
                }
                foreach (int hits in group.Hits) _fusedInto[hits] = group.Root;
            }
        }

        /// <summary>
        /// Concat as views: an input made by a fused group and read only by the concat is written by that group straight
        /// into its columns of the concat's buffer. Slice as views: a slice of a gradient read only by kernels that take a
        /// row stride (MatMul, the row sum of ReduceToShape, a fused group) is read where it lies, not copied.
        /// </summary>
        private void PlanViews()
        {
            foreach (var node in Graph.Nodes)
            {
                if (node.Kind == OpKind.Concat && node.Id < ForwardCount)
                {
                    var shape = Typed.TypeOf(node.Id).Shape;
                    int axis = (int)node.Attributes.Int("axis");
                    if (axis < 0) axis += shape.Rank;
                    if (axis != shape.Rank - 1 || Typed.TypeOf(node.Id).DType != DType.Float32) continue;
                    long column = 0;
                    int views = 0;
                    foreach (var input in node.Inputs)
                    {
                        var inputShape = Typed.TypeOf(input).Shape;
                        if (input.Output == 0 && _groupOfRoot.ContainsKey(input.Node) && Uses(input) == 1 && _slots[input].Kind == BufferKind.Float && !IsConstant(input.Node))
                        {
                            _slots[input] = new BufferSlot(BufferKind.View, column, inputShape.Capacity, new ValueRef(node.Id), shape[axis]);
                            _workspaceValues.Remove(input);
                            views++;
                        }
                        column += inputShape[axis];
                    }
                    if (views == node.Inputs.Count) _concatsInPlace.Add(node.Id);
                }
                if (node.Kind == OpKind.Slice)
                {
                    var source = Typed.TypeOf(node.Inputs[0]).Shape;
                    var v = new ValueRef(node.Id);
                    if ((int)node.Attributes.Int("axis") != source.Rank - 1 || _slots[v].Kind != BufferKind.Float || Uses(v) == 0) continue;
                    // Only a slice of a plain workspace block (through reshapes): not of a caller's input, a table or another view.
                    var from = node.Inputs[0];
                    while (_slots[from].Kind == BufferKind.Alias) from = _slots[from].AliasOf;
                    if (_slots[from].Kind != BufferKind.Float) continue;
                    if (!ReadsStrided(v)) continue;
                    _slots[v] = new BufferSlot(BufferKind.View, node.Attributes.Int("begin"), Typed.TypeOf(v).Shape.Capacity, node.Inputs[0], source[source.Rank - 1]);
                    _workspaceValues.Remove(v);
                }
            }
        }

        /// <summary>Whether every reader of a value accepts a row stride.</summary>
        private bool ReadsStrided(ValueRef v)
        {
            int readers = 0;
            foreach (var node in Graph.Nodes)
            {
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    if (!node.Inputs[i].Equals(v)) continue;
                    readers++;
                    if (node.Kind == OpKind.MatMul) continue;
                    if (node.Kind == OpKind.ReduceToShape && IsRowSum(node)) continue;
                    int root = _groupOfRoot.ContainsKey(node.Id) ? node.Id : FusedInto(node.Id);
                    if (root >= 0 && _groupOfRoot[root].Operands.Exists(o => o.Value.Equals(v) && o.Layout == FusedLayout.Full)) continue;
                    return false;
                }
            }
            return readers == Uses(v);
        }

        /// <summary>ReduceToShape of a [rows, cols] value to [cols]: a sum over the rows (a bias gradient).</summary>
        public bool IsRowSum(IrNode reduce)
        {
            var from = Typed.TypeOf(reduce.Inputs[0]).Shape;
            var to = Typed.TypeOf(reduce.Id).Shape;
            return from.Rank == 2 && to.Rank == 1 && to[0] == from[1] && !to.Batched;
        }

        /// <summary>The workspace the values would take without reuse (what the remarks compare with).</summary>
        public long UnsharedFloatWorkspace { get; private set; }
        public long UnsharedLongWorkspace { get; private set; }

        /// <summary>Workspace blocks start at multiples of 16 elements (a cache line of floats) so that no value shares a
        /// line with the next, whatever the reuse.</summary>
        private const long BlockAlignment = 16;

        /// <summary>
        /// Buffer plan by liveness. A value lives from the step that writes it to the last step that reads it (or any view
        /// of it), counting both passes in order (forward 0..F-1, then backward). Values read after the step are kept for the
        /// whole call: the output (copied out last), dense gradients (views the caller reads later), constants (filled once),
        /// and the upstream gradient (filled before the forward pass). Blocks whose lifetimes do not overlap share space;
        /// a step's output never shares with its own inputs (both are live at that step).
        /// </summary>
        private void AssignOffsets()
        {
            var graph = Graph;
            int end = graph.Nodes.Count;
            var first = new Dictionary<ValueRef, int>();
            var last = new Dictionary<ValueRef, int>();
            foreach (var v in _workspaceValues)
            {
                first[v] = v.Node;
                last[v] = v.Node;
            }
            foreach (var node in graph.Nodes)
            {
                // An op fused into a group reads its inputs when the group runs, at the group's root; a loss gradient
                // computed with its loss, at the loss.
                int at = FusedInto(node.Id) >= 0 ? FusedInto(node.Id) : LossComputing(node.Id) >= 0 ? LossComputing(node.Id) : node.Id;
                foreach (var input in node.Inputs)
                {
                    var owner = Owner(input);
                    if (last.ContainsKey(owner) && last[owner] < at) last[owner] = at;
                }
            }
            // A loss gradient computed with its loss is written at the loss's step.
            foreach (var pair in _lossOfGradient)
            {
                var gradient = new ValueRef(pair.Key);
                if (first.ContainsKey(gradient)) first[gradient] = pair.Value;
            }
            // A view's producer writes into its owner before the owner's own step (a concat written in place).
            foreach (var pair in _slots)
            {
                if (pair.Value.Kind != BufferKind.View) continue;
                var owner = Owner(pair.Key);
                if (first.ContainsKey(owner) && pair.Key.Node < first[owner]) first[owner] = pair.Key.Node;
            }
            void Pin(ValueRef v, bool fromStart)
            {
                var owner = Owner(v);
                if (!last.ContainsKey(owner)) return;
                last[owner] = end;
                if (fromStart) first[owner] = -1;
            }
            foreach (var output in graph.AllOutputs) Pin(output.Value, fromStart: false);
            foreach (int id in ConstantNodes) Pin(new ValueRef(id), fromStart: true);
            if (Gradients != null)
            {
                Pin(Gradients.Seed, fromStart: true);
                foreach (var target in Gradients.Targets)
                {
                    // A dense gradient is read by the caller after the call (and must survive a later Forward).
                    if (!target.Sparse) Pin(target.Gradient, fromStart: true);
                }
            }

            foreach (var kind in new[] { BufferKind.Float, BufferKind.Long })
            {
                var values = _workspaceValues.FindAll(v => _slots[v].Kind == kind);
                values.Sort((a, b) => first[a] != first[b] ? first[a].CompareTo(first[b]) : a.Node != b.Node ? a.Node.CompareTo(b.Node) : a.Output.CompareTo(b.Output));
                var free = new List<(long Offset, long Size)>();
                var active = new List<ValueRef>();
                long top = 0, unshared = 0;
                foreach (var v in values)
                {
                    // Release every block whose last reader ran before this value is written.
                    for (int i = active.Count - 1; i >= 0; i--)
                    {
                        if (last[active[i]] >= first[v]) continue;
                        Release(free, _slots[active[i]].Offset, Aligned(_slots[active[i]].Capacity));
                        active.RemoveAt(i);
                    }
                    long size = Aligned(_slots[v].Capacity);
                    unshared += size;
                    long offset = Take(free, size);
                    if (offset < 0)
                    {
                        offset = top;
                        top += size;
                    }
                    _slots[v] = new BufferSlot(kind, offset, _slots[v].Capacity, default);
                    active.Add(v);
                }
                if (kind == BufferKind.Float)
                {
                    FloatWorkspace = top;
                    UnsharedFloatWorkspace = unshared;
                }
                else
                {
                    LongWorkspace = top;
                    UnsharedLongWorkspace = unshared;
                }
            }
        }

        private static long Aligned(long size) => size == 0 ? BlockAlignment : (size + BlockAlignment - 1) / BlockAlignment * BlockAlignment;

        /// <summary>Best fit: the smallest free block that holds the size (its remainder stays free); -1 when none does.</summary>
        private static long Take(List<(long Offset, long Size)> free, long size)
        {
            int best = -1;
            for (int i = 0; i < free.Count; i++)
            {
                if (free[i].Size >= size && (best < 0 || free[i].Size < free[best].Size)) best = i;
            }
            if (best < 0) return -1;
            var block = free[best];
            if (block.Size == size) free.RemoveAt(best);
            else free[best] = (block.Offset + size, block.Size - size);
            return block.Offset;
        }

        /// <summary>Returns a block to the free list, merged with its free neighbours.</summary>
        private static void Release(List<(long Offset, long Size)> free, long offset, long size)
        {
            free.Add((offset, size));
            free.Sort((a, b) => a.Offset.CompareTo(b.Offset));
            for (int i = free.Count - 2; i >= 0; i--)
            {
                if (free[i].Offset + free[i].Size != free[i + 1].Offset) continue;
                free[i] = (free[i].Offset, free[i].Size + free[i + 1].Size);
                free.RemoveAt(i + 1);
            }
        }

        private void AddIdCheck(ValueRef ids, long bound, string reason, bool allowsPadding = false)
        {
            // Every fed input the ids come from is checked whole; computed ids (samplers, top-k) are range-checked at
            // compile time by ShapeInference.ComputedIdRange, and by the kernels that read them. One check per input:
            // the smallest bound, and -1 allowed only if every reader allows it.
            var sources = new List<int>();
            FedSources(ids, sources);
            foreach (int source in sources)
            {
                var existing = IdChecks.Find(c => c.Input == source);
                if (existing != null)
                {
                    bool padding = existing.AllowsPadding && allowsPadding;
                    if (existing.Bound <= bound && existing.AllowsPadding == padding) continue;
                    IdChecks.Remove(existing);
                    if (existing.Bound < bound) (bound, reason) = (existing.Bound, existing.Reason);
                    allowsPadding = padding;
                }
                IdChecks.Add(new IdCheck(source, bound, reason, allowsPadding));
            }
        }

        /// <summary>Collects the fed Inputs whose elements a value passes on unchanged: through views, gathers (the
        /// params' elements), sampled values and concatenations. Returns false when some element is computed instead.</summary>
        private bool FedSources(ValueRef v, List<int> sources)
        {
            var node = Graph.Nodes[v.Node];
            switch (node.Kind)
            {
                case OpKind.Input:
                    if (node.Attributes.Find("internal") != null) return false;
                    if (!sources.Contains(node.Id)) sources.Add(node.Id);
                    return true;
                case OpKind.Reshape:
                case OpKind.StopGradient:
                case OpKind.Gather:
                    return FedSources(node.Inputs[0], sources);
                case OpKind.SampledValues:
                    return FedSources(node.Inputs[v.Output], sources);
                case OpKind.Concat:
                {
                    bool all = true;
                    foreach (var input in node.Inputs) all &= FedSources(input, sources);
                    return all;
                }
                default:
                    return false;
            }
        }

        /// <summary>Whether a value, passed on through views, gathers or concatenations, reaches a Log (expected counts
        /// only need to be positive when a loss subtracts log Q).</summary>
        private bool ReachesLog(ValueRef v)
        {
            var carried = new HashSet<ValueRef> { v };
            for (int id = v.Node + 1; id < ForwardCount; id++)
            {
                var node = Graph.Nodes[id];
                bool reads = false;
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    // A gather passes on its params, not its indices.
                    if (carried.Contains(node.Inputs[i]) && !(node.Kind == OpKind.Gather && i == 1)) reads = true;
                }
                if (!reads) continue;
                if (node.Kind == OpKind.Log) return true;
                if (node.Kind == OpKind.StopGradient || node.Kind == OpKind.Reshape || node.Kind == OpKind.Gather || node.Kind == OpKind.Concat)
                {
                    carried.Add(new ValueRef(id));
                }
            }
            return false;
        }

        /// <summary>
        /// The fed ids input (ragged labels) that masks every log of these counts, or -1: each Log that reads them (through
        /// a StopGradient) is subtracted from a logit that MaskPadding then fills where those ids are -1, as the ragged
        /// lowering writes it. A count at a padding label is then never used, and need not be positive.
        /// </summary>
        private int PaddingIdsMaskingLogs(ValueRef counts)
        {
            int ids = -1;
            bool any = false;
            foreach (var log in Graph.Nodes)
            {
                if (log.Id >= ForwardCount) break;
                if (log.Kind != OpKind.Log) continue;
                var x = log.Inputs[0];
                if (Graph.Nodes[x.Node].Kind == OpKind.StopGradient) x = Graph.Nodes[x.Node].Inputs[0];
                if (!x.Equals(counts)) continue;
                any = true;
                int masking = -1;
                foreach (var sub in ReadersOf(new ValueRef(log.Id)))
                {
                    if (sub.Kind != OpKind.Subtract || !sub.Inputs[1].Equals(new ValueRef(log.Id))) return -1;
                    foreach (var mask in ReadersOf(new ValueRef(sub.Id)))
                    {
                        var sources = new List<int>();
                        if (mask.Kind != OpKind.MaskPadding || !mask.Inputs[1].Equals(new ValueRef(sub.Id)) || !FedSources(mask.Inputs[0], sources) || sources.Count != 1) return -1;
                        if (masking >= 0 && masking != sources[0]) return -1;
                        masking = sources[0];
                    }
                }
                if (masking < 0 || (ids >= 0 && ids != masking)) return -1;
                ids = masking;
            }
            return any ? ids : -1;
        }

        private IEnumerable<IrNode> ReadersOf(ValueRef v)
        {
            for (int id = v.Node + 1; id < ForwardCount; id++)
            {
                var node = Graph.Nodes[id];
                foreach (var input in node.Inputs)
                {
                    if (!input.Equals(v)) continue;
                    yield return node;
                    break;
                }
            }
        }

        public string NameOf(ValueRef v) => Graph.Nodes[v.Node].DisplayName;
    }
}
