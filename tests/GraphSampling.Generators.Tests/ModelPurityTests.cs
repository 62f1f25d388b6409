using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// Pipeline models must hold only plain values (STYLE 8.1, 8.2): a symbol, syntax node, tree, location, semantic model
    /// or compilation in a step's output roots old compilations and defeats caching. Equal declarations must give equal specs.
    /// </summary>
    public sealed class ModelPurityTests
    {
        public static TheoryData<string> Graphs => new TheoryData<string>
        {
            GeneratorSnapshotTests.BagOfWords,
            GeneratorSnapshotTests.FullSoftmax,
            GeneratorSnapshotTests.SampledSoftmaxPrimitives,
            GeneratorSnapshotTests.NceLike,
        };

        private static readonly Type[] Forbidden =
        {
            typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(SemanticModel),
        };

        /// <summary>Our own step names (the constants of <see cref="TrackingNames"/>), so Roslyn's internal steps are not walked.</summary>
        private static string[] OurStepNames => typeof(TrackingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        [Theory]
        [MemberData(nameof(Graphs))]
        public void Tracked_step_outputs_hold_no_compilation_symbol_syntax_or_location(string source)
        {
            var run = GeneratorHarness.Run(source);
            var result = run.Result.Results.Single();
            Assert.Contains(TrackingNames.Parse, result.TrackedSteps.Keys);
            Assert.Contains(TrackingNames.Emit, result.TrackedSteps.Keys);
            int walked = 0;
            foreach (string name in OurStepNames.Where(result.TrackedSteps.ContainsKey))
            {
                foreach (var output in result.TrackedSteps[name].SelectMany(s => s.Outputs))
                {
                    string? problem = FindForbidden(output.Value, name);
                    Assert.True(problem == null, problem);
                    walked++;
                }
            }
            Assert.True(walked >= 2, "expected outputs for Parse and Emit");
        }

        [Fact]
        public void The_walker_finds_a_location_nested_in_a_collection_inside_a_record()
        {
            var tree = CSharpSyntaxTree.ParseText("class C { }", cancellationToken: TestContext.Current.CancellationToken);
            var bad = new Holder("x", new object[] { 1, new List<object> { "y", new Holder("z", new object[] { tree.GetRoot(TestContext.Current.CancellationToken).GetLocation() }) } });
            string? problem = FindForbidden(bad, "test");
            Assert.NotNull(problem);
            Assert.Contains("Location", problem);
            Assert.Null(FindForbidden(new Holder("clean", new object[] { 1, "two", new[] { 3.0 } }), "test"));
            Assert.NotNull(FindForbidden(new Holder("tree", new object[] { tree }), "test"));
            Assert.NotNull(FindForbidden(new Holder("compilation", new object[] { CSharpCompilation.Create("c") }), "test"));
        }

        private sealed record Holder(string Name, object[] Items);

        /// <summary>Walks fields (public and private, so auto-property backing fields too), arrays and enumerables; returns
        /// the path to the first forbidden object, or null.</summary>
        internal static string? FindForbidden(object? root, string rootName)
        {
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var stack = new Stack<(object? Value, string Path)>();
            stack.Push((root, rootName));
            while (stack.Count > 0)
            {
                var (value, path) = stack.Pop();
                if (value == null) continue;
                var type = value.GetType();
                foreach (var f in Forbidden)
                {
                    if (f.IsAssignableFrom(type)) return path + " is a " + f.Name + " (" + type.FullName + ")";
                }
                if (type.IsPrimitive || type.IsEnum || value is string || value is decimal || value is Type || value is Delegate || value is Pointer) continue;
                if (!type.IsValueType && !seen.Add(value)) continue;
                if (value is IEnumerable enumerable && value is not IDictionary)
                {
                    int i = 0;
                    foreach (object? item in enumerable) stack.Push((item, path + "[" + i++ + "]"));
                }
                else if (value is IDictionary dictionary)
                {
                    foreach (DictionaryEntry e in dictionary)
                    {
                        stack.Push((e.Key, path + ".Key"));
                        stack.Push((e.Value, path + "[" + e.Key + "]"));
                    }
                }
                for (var t = type; t != null && t != typeof(object); t = t.BaseType)
                {
                    foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                        stack.Push((field.GetValue(value), path + "." + field.Name));
                    }
                }
            }
            return null;
        }

        [Theory]
        [MemberData(nameof(Graphs))]
        public void The_same_source_twice_gives_equal_specs_and_outputs_with_equal_hash_codes(string source)
        {
            // Two independent compilations: nothing is shared but the text.
            var first = GeneratorHarness.Run(source).Result.Results.Single();
            var second = GeneratorHarness.Run(source).Result.Results.Single();
            foreach (string step in new[] { TrackingNames.Parse, TrackingNames.Emit })
            {
                var a = first.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
                var b = second.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Value).ToArray();
                Assert.Single(a);
                Assert.Single(b);
                Assert.NotSame(a[0], b[0]);
                Assert.Equal(a[0], b[0]);
                Assert.Equal(a[0].GetHashCode(), b[0].GetHashCode());
            }
            var spec = Assert.IsType<Models.GraphDeclarationSpec>(first.TrackedSteps[TrackingNames.Parse].Single().Outputs.Single().Value);
            Assert.False(spec.HasErrors);
        }

        [Fact]
        public void Specs_of_different_graphs_differ()
        {
            object Spec(string source) => GeneratorHarness.Run(source).Result.Results.Single().TrackedSteps[TrackingNames.Parse].Single().Outputs.Single().Value;
            var a = Spec(GeneratorSnapshotTests.BagOfWords);
            var b = Spec(GeneratorSnapshotTests.BagOfWords.Replace("Classes = 10", "Classes = 11"));
            var c = Spec(GeneratorSnapshotTests.BagOfWords.Replace("var sentence =", "var pooled =").Replace("(words, axis: 1)", "(words, axis: 1)").Replace("MatMul(sentence,", "MatMul(pooled,"));
            Assert.NotEqual(a, b);
            Assert.NotEqual(a, c);   // variable names reach the generated code, so they are part of the spec
        }
    }
}
