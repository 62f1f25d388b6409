using System.Collections.Generic;
using GraphSampling.Schema;

namespace GraphSampling.Ir
{
    /// <summary>
    /// Turns one DSL call into an IR node, by its op schema. The generator (from parsed C#) and the runtime recorder (from
    /// running Define) both call this, with arguments named as the C# parameters of <c>GraphBuilder</c>, so both build the
    /// same graph. Values are only collected here; their validity is checked by shape inference, which reports by
    /// argument name.
    /// </summary>
    public static class OpLowering
    {
        /// <summary>Appends the node for <paramref name="call"/>; returns the node's first output.</summary>
        public static ValueRef Lower(IrGraphBuilder graph, OpCall call)
        {
            if (!OpSchemas.TryGet(call.Kind, out var schema) || !schema.UserFacing)
            {
                throw new GraphDeclarationException(call.Kind + " is not an op users declare.", "kind");
            }
            var attrs = new List<OpAttribute>();
            var inputs = new List<ValueRef>();
            if (schema.Lowering != null) schema.Lowering(call, inputs, attrs);
            else Lowerings.Generic(schema, call, inputs, attrs);
            return graph.Add(call.Kind, inputs.ToArray(), OpAttributes.Of(attrs.ToArray()), call.ResultName);
        }
    }
}
