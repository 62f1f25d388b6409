using System;
using System.Text;

namespace GraphSampling.Generators.Emit
{
    /// <summary>A small indented writer for generated source: four spaces per level, LF line ends.</summary>
    internal sealed class IndentedTextWriter
    {
        private readonly StringBuilder _sb = new StringBuilder();
        private int _indent;

        public void Line(string text = "")
        {
            if (text.Length > 0) _sb.Append(' ', _indent * 4).Append(text);
            _sb.Append('\n');
        }

        /// <summary>Writes "{" on its own line, runs body one level deeper, then "}" (with an optional suffix).</summary>
        public void Block(string header, Action body, string closeSuffix = "")
        {
            if (header.Length > 0) Line(header);
            Line("{");
            _indent++;
            body();
            _indent--;
            Line("}" + closeSuffix);
        }

        public override string ToString() => _sb.ToString();
    }
}
