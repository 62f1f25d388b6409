using System;
using System.Collections.Generic;
using GraphSampling.Ir;
using GraphSampling.Schema;
using GraphSampling.Shapes;

namespace GraphSampling.Naming
{
    /// <summary>
    /// The names a generated program takes from the user's graph, and the rule that keeps them apart. Every emitter names
    /// the program's public members through this class, and shape inference runs <see cref="Check"/> on the declared graph,
    /// so a name that would collide is an error at its argument (GS1006) rather than a C# error in a generated file.
    /// <list type="bullet">
    /// <item>An input <c>x</c> is a method parameter <c>x</c> of Forward and ForwardBackward; a float input also gives the
    /// property <c>XGradient</c>.</item>
    /// <item>A parameter <c>w</c> gives the properties <c>W</c> (its table) and <c>WGradient</c>.</item>
    /// <item>A sampler held in a variable <c>s</c> gives <c>SSampler</c> (a name already ending in "Sampler" is kept); a
    /// composite loss without sampled values names its default sampler after its variable (<c>loss</c>: <c>LossSampler</c>);
    /// an unnamed sampler is <c>Sampler1</c>, <c>Sampler2</c>, ... in graph order.</item>
    /// <item>Everything else the generator writes (fields, private methods, locals, private parameters) starts with
    /// <see cref="ReservedPrefix"/>, which user names may not, so it cannot collide with them.</item>
    /// </list>
    /// Generated member names are compared ignoring case (two names differing only in case confuse readers and break
    /// case-insensitive consumers); method parameters and members are compared exactly, as C# does.
    /// </summary>
    public static class ProgramNames
    {
        /// <summary>The prefix of every private name in generated code; user names may not start with it.</summary>
        public const string ReservedPrefix = "_";

        /// <summary>Public members every program has, and the names of the program classes themselves.</summary>
        public static readonly IReadOnlyList<string> ReservedMembers = new[]
        {
            // The program classes' own names: a member cannot share its class's name (GpuProgram: the GPU backend's).
            "MaxBatch", "CheckInputs", "Step", "Forward", "ForwardBackward", "ApplyGradients", "CpuProgram", "GpuProgram",
            // object's members: a property by one of these names would hide them.
            "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
        };

        /// <summary>Parameters the public methods have besides the inputs.</summary>
        public static readonly IReadOnlyList<string> ReservedParameters = new[] { "batch", "output", "outputGradient" };

        /// <summary>A member name made from a user name: its first letter upper-cased (never a C# keyword, none of which
        /// starts with an upper-case letter).</summary>
        public static string Member(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

        /// <summary>The property of a parameter's table.</summary>
        public static string ParameterProperty(string parameterName) => Member(parameterName);

        /// <summary>The property holding the gradient of a parameter or input.</summary>
        public static string GradientProperty(string name) => Member(name) + "Gradient";

        /// <summary>Names a composite loss gives the nodes it lowers to: its variable's name, else the op's (the first
        /// letter lower-cased, "Loss" dropped), with the node id appended when two composites would share one.</summary>
        public static Dictionary<int, string> CompositePrefixes(IrGraph graph)
        {
            var prefixes = new Dictionary<int, string>();
            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in graph.Nodes)
            {
                if (!OpSchemas.TryGet(node.Kind, out var schema) || !schema.IsComposite) continue;
                string kind = node.Kind.ToString().Replace("Loss", "");
                string prefix = node.Name ?? char.ToLowerInvariant(kind[0]) + kind.Substring(1);
                if (!taken.Add(prefix)) taken.Add(prefix += node.Id);
                prefixes[node.Id] = prefix;
            }
            return prefixes;
        }

        /// <summary>The name a composite loss gives its default sampler node.</summary>
        public static string DefaultSamplerName(string compositePrefix) => compositePrefix + "Sampler";

        /// <summary>The program property of each sampler node of <paramref name="graph"/>, by node id.</summary>
        public static Dictionary<int, string> SamplerProperties(IrGraph graph)
        {
            var properties = new Dictionary<int, string>();
            int unnamed = 0;
            foreach (var node in graph.Nodes)
            {
                if (!OpSchemas.Of(node.Kind).IsSampler) continue;
                properties[node.Id] = node.Name == null ? "Sampler" + (++unnamed) : SamplerProperty(node.Name);
            }
            return properties;
        }

        private static string SamplerProperty(string variable)
        {
            string member = Member(variable);
            return member.EndsWith("Sampler", StringComparison.Ordinal) ? member : member + "Sampler";
        }

        /// <summary>A generated name and what it came from, for the collision check.</summary>
        private readonly struct Claim
        {
            public Claim(string name, bool isMember, int node, string argument, string source)
            {
                Name = name;
                IsMember = isMember;
                Node = node;
                Argument = argument;
                Source = source;
            }

            public string Name { get; }
            public bool IsMember { get; }
            public int Node { get; }
            public string Argument { get; }
            public string Source { get; }
        }

        /// <summary>
        /// Reports (as GS1006, at the name's argument) every user name that starts with <see cref="ReservedPrefix"/> or
        /// whose generated names collide with a reserved name or with another user name's. Run on the declared graph
        /// (composites not yet lowered): their default samplers are counted by the name they will get.
        /// </summary>
        public static void Check(IrGraph graph, List<ShapeError> errors)
        {
            var claims = new List<Claim>();
            foreach (string reserved in ReservedMembers) claims.Add(new Claim(reserved, true, -1, "", "every program"));
            foreach (string reserved in ReservedParameters) claims.Add(new Claim(reserved, false, -1, "", "every program's Forward"));
            var samplerProperties = SamplerProperties(graph);   // the names the emitters will give them
            var prefixes = CompositePrefixes(graph);
            foreach (var node in graph.Nodes)
            {
                var schema = OpSchemas.Of(node.Kind);
                if (node.Kind == OpKind.Input && node.Attributes.Find("internal") == null)
                {
                    string name = node.Attributes.String("name");
                    if (!Reserved(name, node, "name", "input", errors)) return;
                    string source = "input '" + name + "'";
                    claims.Add(new Claim(name, false, node.Id, "name", source));
                    if ((DType)node.Attributes.Int("dtype") == DType.Float32) claims.Add(new Claim(GradientProperty(name), true, node.Id, "name", source));
                }
                else if (node.Kind == OpKind.Parameter)
                {
                    string name = node.Attributes.String("name");
                    if (!Reserved(name, node, "name", "parameter", errors)) return;
                    string source = "parameter '" + name + "'";
                    claims.Add(new Claim(ParameterProperty(name), true, node.Id, "name", source));
                    claims.Add(new Claim(GradientProperty(name), true, node.Id, "name", source));
                }
                else if (schema.IsSampler)
                {
                    if (node.Name != null && !Reserved(node.Name, node, ResultArgument, "sampler variable", errors)) return;
                    claims.Add(new Claim(samplerProperties[node.Id], true, node.Id, ResultArgument, node.Name == null ? "an unnamed sampler" : "sampler '" + node.Name + "'"));
                }
                else if (schema.IsComposite && !node.Attributes.Bool("hasSampledValues"))
                {
                    string prefix = prefixes[node.Id];
                    if (node.Name != null && !Reserved(node.Name, node, ResultArgument, "loss variable", errors)) return;
                    claims.Add(new Claim(SamplerProperty(DefaultSamplerName(prefix)), true, node.Id, ResultArgument, "the default sampler of '" + prefix + "'"));
                }
            }

            for (int i = 0; i < claims.Count; i++)
            {
                var later = claims[i];
                if (later.Node < 0) continue;
                for (int j = 0; j < i; j++)
                {
                    var earlier = claims[j];
                    if (earlier.Node == later.Node && earlier.Source == later.Source) continue;
                    // Two members clash ignoring case, and so do two inputs (their gradient members would); a parameter
                    // clashes with a member or a reserved parameter of the same spelling (it would hide the member in the
                    // method bodies, or repeat a parameter).
                    bool bothMembers = earlier.IsMember && later.IsMember;
                    bool bothInputs = !earlier.IsMember && !later.IsMember && earlier.Node >= 0;
                    var comparison = bothMembers || bothInputs ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    if (!string.Equals(earlier.Name, later.Name, comparison)) continue;
                    string what = later.IsMember ? "the member '" + later.Name + "'" : "the parameter '" + later.Name + "'";
                    string with = earlier.Node < 0
                        ? (earlier.IsMember ? "the member '" + earlier.Name + "' that " : "the parameter '" + earlier.Name + "' that ") + earlier.Source + " has"
                        : (earlier.IsMember ? "the member '" + earlier.Name + "' of " : "the parameter '" + earlier.Name + "' of ") + earlier.Source;
                    errors.Add(new ShapeError(ShapeErrorIds.NameCollision, later.Node, later.Argument,
                        later.Source + " would generate " + what + ", which collides with " + with + (string.Equals(earlier.Name, later.Name, StringComparison.Ordinal) ? "" : " (names that differ only in case count as one)") + "; rename it."));
                    return;
                }
            }
        }

        /// <summary>The argument a sampler's or loss's own name is reported at: the variable it is assigned to.</summary>
        public const string ResultArgument = "$result";

        private static bool Reserved(string name, IrNode node, string argument, string what, List<ShapeError> errors)
        {
            if (!name.StartsWith(ReservedPrefix, StringComparison.Ordinal)) return true;
            errors.Add(new ShapeError(ShapeErrorIds.NameCollision, node.Id, argument,
                "the " + what + " '" + name + "' starts with '" + ReservedPrefix + "', which is reserved for the names the generator writes; rename it."));
            return false;
        }
    }
}
