using System;

namespace GraphSampling.Shapes
{
    /// <summary>
    /// A shape, dtype or attribute error, located by node and by the C# argument name it concerns, not by source
    /// location: the analyzer maps (node, argument) to the argument's syntax, the runtime puts it in an exception.
    /// </summary>
    public sealed class ShapeError : IEquatable<ShapeError>
    {
        public ShapeError(string id, int node, string argument, string message, string? fixArgument = null, string? fixValue = null)
        {
            Id = id;
            Node = node;
            Argument = argument;
            Message = message;
            FixArgument = fixArgument;
            FixValue = fixValue;
        }

        /// <summary>A one-argument fix the rule knows is right, for the code fixes: set the op's argument
        /// <see cref="FixArgument"/> to the C# value <see cref="FixValue"/> (numTrue to the labels' width, transposeB to
        /// the flip that makes a MatMul agree). Null when there is none.</summary>
        public string? FixArgument { get; }
        public string? FixValue { get; }

        /// <summary>Diagnostic id (GS2xxx for shapes and dtypes, GS3xxx for graph semantics).</summary>
        public string Id { get; }
        public int Node { get; }
        public string Argument { get; }
        public string Message { get; }

        public bool Equals(ShapeError? other) => other is not null && Id == other.Id && Node == other.Node && Argument == other.Argument && Message == other.Message;
        public override bool Equals(object? obj) => Equals(obj as ShapeError);
        public override int GetHashCode() => unchecked(Id.GetHashCode() * 31 + Node * 7 + Message.GetHashCode());
        public override string ToString() => Id + " t" + Node + " (" + Argument + "): " + Message;
    }

    /// <summary>The ids of the errors shape inference reports; the generator's descriptors use the same ids.</summary>
    public static class ShapeErrorIds
    {
        /// <summary>Two dims that must agree do not.</summary>
        public const string DimensionMismatch = "GS2001";
        /// <summary>A tensor has the wrong rank for its argument.</summary>
        public const string RankMismatch = "GS2002";
        /// <summary>A tensor has the wrong dtype for its argument.</summary>
        public const string DTypeMismatch = "GS2003";
        /// <summary>An attribute value is out of its valid range.</summary>
        public const string InvalidAttribute = "GS2004";
        /// <summary>The batch dimension would move away from axis 0 or mix with a fixed dimension.</summary>
        public const string BatchDimension = "GS2005";
        /// <summary>An argument that must be a Parameter is not one.</summary>
        public const string NotAParameter = "GS2006";
        /// <summary>numSampled and the class range disagree (for example unique sampling of more than the range).</summary>
        public const string SamplingRange = "GS3001";
        /// <summary>A user name that would collide with another, or with a name the generated program has.</summary>
        public const string NameCollision = "GS1006";
    }
}
