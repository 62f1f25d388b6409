using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphSampling.Generators.Emit
{
    /// <summary>Turns validated user names into identifiers and numbers into invariant literals.</summary>
    internal static class CSharpNames
    {
        /// <summary>A parameter/local name: the user's identifier, escaped with @ when it is a keyword.</summary>
        public static string Parameter(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>A property name: the identifier with its first letter upper-cased (the shared naming rule).</summary>
        public static string Property(string name) => GraphSampling.Naming.ProgramNames.Member(name);

        public static string Float(double value)
        {
            if (double.IsNaN(value)) return "float.NaN";
            if (double.IsPositiveInfinity(value)) return "float.PositiveInfinity";
            if (double.IsNegativeInfinity(value)) return "float.NegativeInfinity";
            return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A C# string literal with every character that could end or bend it escaped.</summary>
        public static string StringLiteral(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
    }
}
