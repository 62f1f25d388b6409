using System;
using System.Collections.Generic;
using System.Linq;
using GraphSampling.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace GraphSampling.Generators.Tests
{
    /// <summary>
    /// GS1006: every user name that would collide in the generated program is an error at its argument, and every name
    /// that does not collide compiles (the generator's own private names start with '_', which user names may not).
    /// The last test is a property over random name sets: the analyzers report GS1006 exactly when the naming rule says
    /// so, and whenever they do not, the generated program compiles.
    /// </summary>
    public sealed class NameCollisionTests
    {
        private static string Graph(string body, string className = "G") => AnalyzerTests.Graph(body).Replace("class G", "class " + className);

        private const string Leaves = """
            var x = g.Input<float>("x", Batch, 4);
            var labels = g.Labels("labels", Batch);
            """;

        /// <summary>Each collision the issue lists, with the span GS1006 must point at.</summary>
        public static TheoryData<string, string> Collisions => new TheoryData<string, string>
        {
            { "parameters weights and Weights", Leaves + """
                var a = g.Parameter("weights", 10, 4);
                var b = g.Parameter({|GS1006:"Weights"|}, 10, 4);
                return g.ReduceSum(g.MatMul(x, a, transposeB: true) + g.MatMul(x, b, transposeB: true), axis: 1);
                """ },
            { "w and wGradient", Leaves + """
                var w = g.Parameter("w", 4, 3);
                var wg = g.Parameter({|GS1006:"wGradient"|}, 3);
                return g.ReduceSum(g.BiasAdd(g.MatMul(x, w), wg), axis: 1);
                """ },
            { "a parameter declared twice", Leaves + """
                var w = g.Parameter("w", 4, 3);
                var w2 = g.Parameter({|GS1006:"w"|}, 4, 3);
                return g.ReduceSum(g.MatMul(x, w) + g.MatMul(x, w2), axis: 1);
                """ },
            { "an input declared twice", """
                var x = g.Input<float>("x", Batch, 4);
                var y = g.Input<float>({|GS1006:"x"|}, Batch, 4);
                return g.ReduceSum(x + y, axis: 1);
                """ },
            { "an input and a parameter with one name", """
                var x = g.Input<float>("x", Batch, 4);
                var w = g.Parameter({|GS1006:"x"|}, 4, 3);
                return g.ReduceSum(g.MatMul(x, w), axis: 1);
                """ },
            { "input batch", """var x = g.Input<float>({|GS1006:"batch"|}, Batch, 4);""" + "\nreturn g.ReduceSum(x, axis: 1);" },
            { "input output", """var x = g.Input<float>({|GS1006:"output"|}, Batch, 4);""" + "\nreturn g.ReduceSum(x, axis: 1);" },
            { "input outputGradient", """var x = g.Input<float>({|GS1006:"outputGradient"|}, Batch, 4);""" + "\nreturn g.ReduceSum(x, axis: 1);" },
            { "input _ws", """var x = g.Input<float>({|GS1006:"_ws"|}, Batch, 4);""" + "\nreturn g.ReduceSum(x, axis: 1);" },
            { "input _batch", """var x = g.Input<float>({|GS1006:"_batch"|}, Batch, 4);""" + "\nreturn g.ReduceSum(x, axis: 1);" },
            { "parameter checkInputs", ParameterNamed("checkInputs") },
            { "parameter maxBatch", ParameterNamed("maxBatch") },
            { "parameter step", ParameterNamed("step") },
            { "parameter forward", ParameterNamed("forward") },
            { "parameter cpuProgram", ParameterNamed("cpuProgram") },
            { "parameter toString", ParameterNamed("toString") },
            { "parameter sampledSampler beside a sampler sampled", Leaves + """
                var sampled = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 1);
                var p = g.Parameter({|GS1006:"sampledSampler"|}, 4, 1);
                return g.ReduceSum(g.MatMul(x, p) + sampled.TrueExpectedCount, axis: 1);
                """ },
            { "sampler variables s and S", Leaves + """
                var s = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 1);
                var {|GS1006:S|} = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 2);
                return g.ReduceSum(x, axis: 1) + g.ReduceSum(s.TrueExpectedCount + S.TrueExpectedCount, axis: 1);
                """ },
            { "samplers neg and negSampler", Leaves + """
                var neg = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 1);
                var {|GS1006:negSampler|} = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 2);
                return g.ReduceSum(x, axis: 1) + g.ReduceSum(neg.TrueExpectedCount + negSampler.TrueExpectedCount, axis: 1);
                """ },
            { "a sampler lossSampler beside a loss's default sampler", Leaves + """
                var w = g.Parameter("w", 100, 4);
                var b = g.Parameter("b", 100);
                var lossSampler = g.LogUniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 3);
                var {|GS1006:loss|} = g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100);
                return loss + g.ReduceSum(lossSampler.TrueExpectedCount, axis: 1);
                """ },
            { "a sampler variable _s", Leaves + """
                var {|GS1006:_s|} = g.UniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 1);
                return g.ReduceSum(x, axis: 1) + g.ReduceSum(_s.TrueExpectedCount, axis: 1);
                """ },
        };

        private static string ParameterNamed(string name) => Leaves + $$"""
            var p = g.Parameter({|GS1006:"{{name}}"|}, 4, 1);
            return g.ReduceSum(g.MatMul(x, p), axis: 1);
            """;

        [Theory]
        [MemberData(nameof(Collisions))]
        public void A_name_that_would_collide_is_GS1006_at_its_argument_and_generates_nothing(string what, string body)
        {
            var markup = Graph(body);
            var d = Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id == "GS1006");
            Assert.Contains("rename", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.True(run.Diagnostics.IsEmpty, what + ": " + GeneratorHarness.Render(run.Diagnostics));
            Assert.DoesNotContain(run.Files, f => f.HintName.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
        }

        /// <summary>Define returning a tuple: each element's name becomes a span parameter of Forward, so it must be
        /// given, and must not meet an input, another output or the methods' own parameters.</summary>
        [Theory]
        [InlineData("(Tensor<float> Loss, Tensor<float> {|GS1006:X|})", "an input")]
        [InlineData("(Tensor<float> Loss, Tensor<float> {|GS1006:Batch|})", "a parameter every program's Forward has")]
        [InlineData("(Tensor<float> Loss, Tensor<float> {|GS1006:OutputGradient|})", "a parameter every program's Forward has")]
        [InlineData("(Tensor<float> Loss, Tensor<float> {|GS1006:loss|})", "another output")]
        [InlineData("(Tensor<float> Loss, Tensor<float> {|GS1006:_sum|})", "reserved")]
        [InlineData("(Tensor<float> Loss, {|GS1002:Tensor<float>|})", "name each output")]
        public void A_tuple_output_name_that_cannot_be_a_parameter_is_an_error_at_it(string returnType, string expected)
        {
            string markup = $$"""
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    public const int Batch = 8;

                    static {{returnType}} Define(GraphBuilder g)
                    {
                        var x = g.Input<float>("x", Batch, 4);
                        var sum = g.ReduceSum(x, axis: 1);
                        return (sum, sum);
                    }
                }
                """;
            var d = Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id is "GS1006" or "GS1002");
            Assert.Contains(expected, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.DoesNotContain(run.Files, f => f.HintName.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
        }

        [Fact]
        public void A_tuple_Define_with_an_expression_body_and_a_keyword_named_output_compiles()
        {
            const string source = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    public const int Batch = 8;

                    static (Tensor<float> Loss, Tensor<long> Class, Tensor<float> X) Define(GraphBuilder g) =>
                        (g.ReduceSum(g.Input<float>("input", Batch, 4), axis: 1), g.TopK(g.Input<float>("scores", Batch, 4), 1).Indices, g.Input<float>("other", Batch, 2));
                }
                """;
            var run = GeneratorHarness.Run(source);   // asserts the generated code compiles
            var cpu = Assert.Single(run.Files, f => f.HintName.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
            Assert.Contains("global::System.Span<long> @class", cpu.Text);
            Assert.Contains("global::System.Span<float> x)", cpu.Text);
        }

        [Fact]
        public void An_output_named_like_an_input_declared_inside_the_returned_tuple_is_GS1006()
        {
            string markup = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    public const int Batch = 8;

                    static (Tensor<float> Loss, Tensor<float> {|GS1006:X|}) Define(GraphBuilder g) =>
                        (g.ReduceSum(g.Input<float>("x", Batch, 4), axis: 1), g.Input<float>("other", Batch, 2));
                }
                """;
            var d = Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id == "GS1006");
            Assert.Contains("is also the name of an input", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.DoesNotContain(run.Files, f => f.HintName.EndsWith(".Cpu.g.cs", StringComparison.Ordinal));
        }

        [Fact]
        public void A_tuple_whose_first_output_is_not_float_is_an_error_at_the_return()
        {
            string markup = """
                using GraphSampling;

                [ComputationGraph]
                public static partial class G
                {
                    public const int Batch = 8;

                    static (Tensor<long> Best, Tensor<float> Sum) Define(GraphBuilder g)
                    {
                        var x = g.Input<float>("x", Batch, 4);
                        return {|GS2003:(g.TopK(x, 2).Indices, g.ReduceSum(x, axis: 1))|};
                    }
                }
                """;
            var d = Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id.StartsWith("GS", StringComparison.Ordinal));
            Assert.Contains("float", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        }

        [Theory]
        [InlineData("CpuProgram")]
        [InlineData("GpuProgram")]
        [InlineData("RecordGraph")]
        public void A_graph_class_named_like_a_generated_member_is_GS1006(string name)
        {
            string markup = Graph("var x = g.Input<float>(\"x\", Batch, 4);\nreturn g.ReduceSum(x, axis: 1);", "{|GS1006:" + name + "|}");
            Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id == "GS1006");
            var run = GeneratorHarness.Run(AnalyzerHarness.ParseMarkup(markup).Source, expectDiagnostics: true);
            Assert.True(run.Diagnostics.IsEmpty, GeneratorHarness.Render(run.Diagnostics));
            Assert.Empty(run.Files);
        }

        [Fact]
        public void A_graph_class_member_named_CpuProgram_is_GS1006()
        {
            string markup = AnalyzerTests.Graph("var x = g.Input<float>(\"x\", Batch, 4);\nreturn g.ReduceSum(x, axis: 1);",
                "public const int Batch = 8;\npublic static int {|GS1006:CpuProgram|} => 1;");
            Assert.Single(AnalyzerHarness.Verify(markup, TestContext.Current.CancellationToken), x => x.Id == "GS1006");
        }

        /// <summary>Names that broke the generated file before the reserved prefix, and now compile (the harness asserts
        /// the output compiles without errors).</summary>
        [Theory]
        [InlineData("t3", "validate")]
        [InlineData("withGradients", "runForward")]
        [InlineData("s_floats0", "runBackward")]
        [InlineData("ws", "fillConstants")]
        [InlineData("busy", "gradientBatch")]
        [InlineData("nameof", "define")]   // nameof(...) in the checks would bind to an input named nameof
        [InlineData("Batch", "recordGraph")]
        public void Names_like_the_generators_own_compile(string input, string parameter)
        {
            var run = GeneratorHarness.Run(AnalyzerTests.Graph($$"""
                var x = g.Input<float>("{{input}}", Batch, 4);
                var labels = g.Labels("labels", Batch);
                var w = g.Parameter("{{parameter}}", 100, 4);
                var b = g.Parameter("b", 100);
                var t3 = g.LogUniformCandidateSampler(labels, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 3);
                return g.SampledSoftmaxLoss(w, b, labels, x, numSampled: 5, numClasses: 100, sampledValues: t3);
                """));
            Assert.Contains(run.Files, f => f.HintName == "G.Cpu.g.cs");
            Assert.Empty(AnalyzerHarness.GetDiagnostics(AnalyzerTests.Graph($$"""
                var x = g.Input<float>("{{input}}", Batch, 4);
                return g.ReduceSum(x, axis: 1);
                """), TestContext.Current.CancellationToken));
        }

        // ---- Property: random name sets ---------------------------------------------------------------------------

        private static readonly string[] NamePool =
        {
            "x", "X", "w", "W", "wGradient", "WGradient", "xGradient", "batch", "Batch", "output", "outputGradient", "_ws", "_batch",
            "t3", "_t3", "step", "Step", "forward", "forwardBackward", "validate", "runForward", "checkInputs", "maxBatch", "cpuProgram",
            "s", "S", "sSampler", "sampled", "sampledSampler", "hidden", "hiddenGradient", "toString", "equals", "withGradients",
            "s_floats0", "data", "sampler1", "Sampler1", "busy", "gradientBatch", "labels", "Labels", "define", "Output", "nameof",
        };

        private static readonly string[] SamplerVariablePool = { "s", "S", "sampled", "neg", "Neg", "negSampler", "sSampler", "t3", "_s", "step", "x", "w", "sampler1", "Sampler1", "data" };

        private static readonly string[] ReservedMembers = { "MaxBatch", "CheckInputs", "Step", "Forward", "ForwardBackward", "ApplyGradients", "CpuProgram", "GpuProgram", "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals" };

        private static readonly string[] ReservedParameters = { "batch", "output", "outputGradient" };

        private static string Upper(string n) => char.ToUpperInvariant(n[0]) + n.Substring(1);

        /// <summary>The rule docs/diagnostics/GS1006.md states, written out independently of the generator's code.</summary>
        private static bool RuleSaysCollision(List<string> floatInputs, string labelsInput, List<string> parameters, List<string?> samplers)
        {
            var all = floatInputs.Concat(new[] { labelsInput }).Concat(parameters).Concat(samplers.Where(s => s != null)!).ToList();
            if (all.Any(n => n!.StartsWith("_", StringComparison.Ordinal))) return true;
            var members = new List<string>(ReservedMembers);
            int unnamed = 0;
            members.AddRange(floatInputs.Select(i => Upper(i) + "Gradient"));
            foreach (var p in parameters)
            {
                members.Add(Upper(p));
                members.Add(Upper(p) + "Gradient");
            }
            foreach (var s in samplers)
            {
                members.Add(s == null ? "Sampler" + (++unnamed) : Upper(s).EndsWith("Sampler", StringComparison.Ordinal) ? Upper(s) : Upper(s) + "Sampler");
            }
            if (members.GroupBy(m => m, StringComparer.OrdinalIgnoreCase).Any(grp => grp.Count() > 1)) return true;
            var inputs = floatInputs.Concat(new[] { labelsInput }).ToList();
            if (inputs.GroupBy(m => m, StringComparer.OrdinalIgnoreCase).Any(grp => grp.Count() > 1)) return true;
            if (inputs.Any(i => ReservedParameters.Contains(i, StringComparer.Ordinal))) return true;
            return inputs.Any(p => members.Contains(p, StringComparer.Ordinal));
        }

        [Fact]
        public void Random_name_sets_either_report_GS1006_as_the_rule_says_or_compile()
        {
            var rng = new Random(20261202);
            var failures = new List<string>();
            int collisions = 0, compiled = 0;
            for (int trial = 0; trial < 40; trial++)
            {
                var pick = new Func<string[], string>(pool => pool[rng.Next(pool.Length)]);
                var floatInputs = Enumerable.Range(0, rng.Next(1, 3)).Select(_ => pick(NamePool)).ToList();
                string labels = pick(NamePool);
                var parameters = Enumerable.Range(0, rng.Next(1, 3)).Select(_ => pick(NamePool)).ToList();
                var samplers = new List<string?>();
                var samplerVariables = new HashSet<string>(StringComparer.Ordinal);
                for (int i = rng.Next(0, 3); i > 0; i--)
                {
                    string v = pick(SamplerVariablePool);
                    samplers.Add(rng.Next(4) == 0 || !samplerVariables.Add(v) ? null : v);   // C# locals are distinct; some unnamed
                }

                var body = new System.Text.StringBuilder();
                for (int i = 0; i < floatInputs.Count; i++) body.AppendLine($"var in{i} = g.Input<float>(\"{floatInputs[i]}\", Batch, 4);");
                body.AppendLine($"var lab = g.Labels(\"{labels}\", Batch);");
                for (int i = 0; i < parameters.Count; i++) body.AppendLine($"var par{i} = g.Parameter(\"{parameters[i]}\", 100, 4);");
                string h = string.Join(" + ", floatInputs.Select((_, i) => "in" + i));
                string logits = string.Join(" + ", parameters.Select((_, i) => $"g.MatMul({h}, par{i}, transposeB: true)"));
                string result = $"g.ReduceSum({logits}, axis: 1)";
                foreach (var s in samplers)
                {
                    string call = "g.UniformCandidateSampler(lab, numTrue: 1, numSampled: 5, unique: true, rangeMax: 100, seed: 1)";
                    if (s == null)
                    {
                        result += $" + g.ReduceSum({call}.TrueExpectedCount, axis: 1)";
                    }
                    else
                    {
                        body.AppendLine($"var {s} = {call};");
                        result += $" + g.ReduceSum({s}.TrueExpectedCount, axis: 1)";
                    }
                }
                body.AppendLine("return " + result + ";");
                string source = AnalyzerTests.Graph(body.ToString());
                string names = "inputs [" + string.Join(", ", floatInputs) + "], labels " + labels + ", parameters [" + string.Join(", ", parameters)
                    + "], samplers [" + string.Join(", ", samplers.Select(s => s ?? "(unnamed)")) + "]";

                var diagnostics = AnalyzerHarness.GetDiagnostics(source, TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                bool expected = RuleSaysCollision(floatInputs, labels, parameters, samplers);
                bool reported = diagnostics.Any(d => d.Id == "GS1006");
                if (diagnostics.Any(d => d.Id != "GS1006")) failures.Add(names + ": unexpected " + string.Join("; ", diagnostics.Select(d => d.Id + " " + d.GetMessage())));
                else if (expected != reported) failures.Add(names + ": the rule says " + (expected ? "collision" : "none") + ", the analyzers " + (reported ? "reported GS1006: " + diagnostics[0].GetMessage() : "reported nothing"));
                else if (reported)
                {
                    collisions++;
                }
                else
                {
                    // No diagnostic: the generated program must compile (Run asserts no errors in the output compilation).
                    try
                    {
                        var run = GeneratorHarness.Run(source);
                        if (!run.Files.Any(f => f.HintName == "G.Cpu.g.cs")) failures.Add(names + ": no CpuProgram generated");
                        compiled++;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        failures.Add(names + ": " + e.Message);
                    }
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
            // Both outcomes occur, so neither half of the property holds vacuously.
            Assert.True(collisions >= 5 && compiled >= 5, collisions + " collisions, " + compiled + " compiled");
        }
    }
}
