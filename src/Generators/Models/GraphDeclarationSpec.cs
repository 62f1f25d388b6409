using GraphSampling.Ir;

namespace GraphSampling.Generators.Models
{
    /// <summary>A containing type declaration, outermost first: its keyword ("class", "record struct", "interface", ...),
    /// its name as C# source (escaped with @ when a keyword) and its type parameter list ("" or "&lt;T, U&gt;").</summary>
    internal sealed record TypeDeclarationSpec(string Keyword, string Name, string TypeParameters = "");

    /// <summary>One DSL call: the op kind from its [GraphOp] attribute, the user's variable name, and every argument by
    /// parameter name. Tensor arguments refer to earlier calls by index (each call lowers to exactly one IR node).</summary>
    internal sealed record OpSpec(OpKind Kind, string? ResultName, EquatableArray<NamedArg> Args);

    /// <summary>
    /// Everything stage 1 extracts from a [ComputationGraph] class: plain strings, numbers and enums only (no symbols,
    /// syntax or locations), so that equal declarations compare equal and the pipeline stops at the first unchanged step.
    /// </summary>
    internal sealed record GraphDeclarationSpec(
        string? Namespace,
        EquatableArray<TypeDeclarationSpec> Types,
        string HintName,
        EquatableArray<OpSpec> Ops,
        int OutputOp,
        int OutputIndex,
        bool HasErrors,
        string? Failure = null,
        EquatableArray<OutputSpec> ExtraOutputs = default,
        string OutputName = IrGraph.DefaultOutputName)
    {
        /// <summary>Where the generated code goes: what every later stage carries along.</summary>
        public GraphHeader Header => new GraphHeader(Namespace, Types, HintName);
    }

    /// <summary>An output after the first (Define returning a tuple): its span parameter's name and the value.</summary>
    internal sealed record OutputSpec(string Name, int Op, int Index);

    /// <summary>The graph class's namespace, nesting and hint name: the frame of every generated file.</summary>
    internal sealed record GraphHeader(string? Namespace, EquatableArray<TypeDeclarationSpec> Types, string HintName);
}
