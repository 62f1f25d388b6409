using System;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphSampling.Generators.Emit
{
    /// <summary>
    /// The one place generated code gets identifiers and literals. Names arrive validated (shape inference and
    /// <see cref="Naming.ProgramNames"/>); literals are written so that the compiler reads back exactly the value meant
    /// (round-trip formats, negative values and the extremes included), and a value the target type cannot hold is a
    /// generator bug here, because the shape rules reject such attributes first (GS2004).
    /// </summary>
    internal static class CSharpNames
    {
        /// <summary>A parameter/local name: the user's identifier, escaped with @ when it is a keyword.</summary>
        public static string Parameter(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>A property name: the identifier with its first letter upper-cased (the shared naming rule).</summary>
        public static string Property(string name) => GraphSampling.Naming.ProgramNames.Member(name);

        /// <summary>A float literal for a value held as a double. NaN and the infinities are written as float's named
        /// constants (only attributes whose rules allow them, such as "no max norm", reach here with them); a finite
        /// double beyond float's range would become infinity, so it is refused.</summary>
        public static string Float(double value)
        {
            if (double.IsNaN(value)) return "float.NaN";
            if (double.IsPositiveInfinity(value)) return "float.PositiveInfinity";
            if (double.IsNegativeInfinity(value)) return "float.NegativeInfinity";
            float f = (float)value;
            if (float.IsInfinity(f)) throw new InvalidOperationException("The value " + value.ToString("R", CultureInfo.InvariantCulture) + " does not fit in a float; its shape rule should have rejected it.");
            // "R" round-trips float; a float literal needs no decimal point ("3f", "1E+38f", "-0f" are all valid).
            return f.ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        /// <summary>An int literal (dimensions, counts, offsets); a value outside int is a bug in the caller.</summary>
        public static string Int(long value)
        {
            if (value < int.MinValue || value > int.MaxValue) throw new InvalidOperationException("The value " + value + " does not fit in an int.");
            return value == int.MinValue ? "int.MinValue" : value.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>A literal for a long parameter or array element: plain digits (C# types them int or long by value,
        /// and either converts), long.MinValue by name (its digits are out of range for the unary minus).</summary>
        public static string Long(long value) => value == long.MinValue ? "long.MinValue" : value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A ulong literal (seeds).</summary>
        public static string ULong(ulong value) => value.ToString(CultureInfo.InvariantCulture) + "UL";

        /// <summary>A C# string literal with every character that could end or bend it escaped.</summary>
        public static string StringLiteral(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
    }
}
