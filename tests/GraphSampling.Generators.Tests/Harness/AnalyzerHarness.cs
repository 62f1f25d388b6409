using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using GraphSampling.Generators.Diagnostics.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace GraphSampling.Generators.Tests.Harness
{
    /// <summary>One expected diagnostic: its id and the span of source it covers.</summary>
    internal readonly record struct ExpectedDiagnostic(string Id, TextSpan Span) : IComparable<ExpectedDiagnostic>
    {
        public int CompareTo(ExpectedDiagnostic other)
        {
            int c = Span.Start.CompareTo(other.Span.Start);
            if (c != 0) return c;
            c = Span.End.CompareTo(other.Span.End);
            return c != 0 ? c : string.CompareOrdinal(Id, other.Id);
        }
    }

    /// <summary>
    /// Runs GraphSampling's analyzers over source written with markup: <c>{|GS2001:text|}</c> expects a GS2001 diagnostic
    /// covering exactly <c>text</c>. The markup is stripped before compiling; markup may nest.
    /// </summary>
    internal static class AnalyzerHarness
    {
        public static ImmutableArray<DiagnosticAnalyzer> Analyzers => ImmutableArray.Create<DiagnosticAnalyzer>(new GraphDeclarationAnalyzer(), new ShapeAnalyzer());

        /// <summary>Strips the markup; returns the plain source and the expected (id, span) pairs.</summary>
        public static (string Source, List<ExpectedDiagnostic> Expected) ParseMarkup(string markup)
        {
            var sb = new StringBuilder(markup.Length);
            var expected = new List<ExpectedDiagnostic>();
            var open = new Stack<(string Id, int Start)>();
            for (int i = 0; i < markup.Length; i++)
            {
                if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
                {
                    int colon = markup.IndexOf(':', i + 2);
                    if (colon < 0) throw new FormatException("'{|' without ':' at " + i);
                    open.Push((markup.Substring(i + 2, colon - i - 2), sb.Length));
                    i = colon;
                }
                else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
                {
                    if (open.Count == 0) throw new FormatException("'|}' without '{|' at " + i);
                    var (id, start) = open.Pop();
                    expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, sb.Length)));
                    i++;
                }
                else
                {
                    sb.Append(markup[i]);
                }
            }
            if (open.Count > 0) throw new FormatException("unclosed '{|" + open.Peek().Id + ":'");
            expected.Sort();
            return (sb.ToString(), expected);
        }

        /// <summary>The analyzers' diagnostics for <paramref name="source"/> (no markup). Asserts the C# itself compiles
        /// (unless <paramref name="allowCompilerErrors"/>: source the user is still typing) and no analyzer threw.</summary>
        public static ImmutableArray<Diagnostic> GetDiagnostics(string source, CancellationToken ct = default, bool allowCompilerErrors = false)
        {
            var compilation = GeneratorHarness.CreateCompilation(source);
            if (!allowCompilerErrors) GeneratorHarness.AssertNoErrors(compilation, "the test source (before the analyzers run)");
            var exceptions = new List<Exception>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (e, _, _) => { lock (exceptions) exceptions.Add(e); },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false);
            var diagnostics = compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync(ct).GetAwaiter().GetResult();
            Assert.True(exceptions.Count == 0, "An analyzer threw:\n" + string.Join("\n", exceptions));
            return diagnostics;
        }

        /// <summary>Asserts the analyzers report exactly the diagnostics the markup names, at exactly those spans.</summary>
        public static ImmutableArray<Diagnostic> Verify(string markup, CancellationToken ct = default)
        {
            var (source, expected) = ParseMarkup(markup);
            var diagnostics = GetDiagnostics(source, ct);
            var actual = diagnostics.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan)).OrderBy(d => d).ToList();
            if (!expected.SequenceEqual(actual))
            {
                Assert.Fail("Expected:\n" + Render(source, expected) + "\nActual:\n" + Render(source, diagnostics));
            }
            return diagnostics;
        }

        private static string Render(string source, IEnumerable<ExpectedDiagnostic> list)
        {
            var text = SourceText.From(source);
            var lines = list.Select(d => "  " + Position(text, d.Span) + " " + d.Id + " on '" + source.Substring(d.Span.Start, d.Span.Length) + "'").ToList();
            return lines.Count == 0 ? "  (none)" : string.Join("\n", lines);
        }

        public static string Render(string source, IEnumerable<Diagnostic> list)
        {
            var text = SourceText.From(source);
            var lines = list.OrderBy(d => d.Location.SourceSpan.Start)
                .Select(d => "  " + (d.Location.IsInSource ? Position(text, d.Location.SourceSpan) : "(no location)") + " " + d.Id + " " + d.Severity
                    + " on '" + (d.Location.IsInSource ? source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length) : "") + "': "
                    + d.GetMessage(CultureInfo.InvariantCulture))
                .ToList();
            return lines.Count == 0 ? "  (none)" : string.Join("\n", lines);
        }

        private static string Position(SourceText text, TextSpan span)
        {
            var p = text.Lines.GetLinePosition(span.Start);
            return "(" + (p.Line + 1) + "," + (p.Character + 1) + ")";
        }
    }
}
