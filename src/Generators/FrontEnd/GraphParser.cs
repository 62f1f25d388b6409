using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using GraphSampling.Generators.Models;
using GraphSampling.Ir;
using GraphSampling.Naming;
using GraphSampling.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace GraphSampling.Generators.FrontEnd
{
    /// <summary>A declaration error found while reading Define, with its source location (analyzers only).</summary>
    internal sealed class ParseError
    {
        public ParseError(string id, Location location, string message)
        {
            Id = id;
            Location = location;
            Message = message;
        }

        public string Id { get; }
        public Location Location { get; }
        public string Message { get; }

        /// <summary>An error the compiler already reports: it stops generation but no analyzer repeats it.</summary>
        public static ParseError Silent(Location location) => new ParseError("", location, "");

        public bool IsSilent => Id.Length == 0;
    }

    /// <summary>Stage 1's result: the equatable spec, plus locations for the analyzers. The generator keeps only the spec.</summary>
    internal sealed class ParsedGraph
    {
        public ParsedGraph(GraphDeclarationSpec spec, List<ParseError> errors, List<Dictionary<string, Location>> argumentLocations, List<Location> opLocations, Location? returnLocation, List<string?> opContexts)
        {
            Spec = spec;
            Errors = errors;
            ArgumentLocations = argumentLocations;
            OpLocations = opLocations;
            ReturnLocation = returnLocation;
            OpContexts = opContexts;
        }

        /// <summary>For an op built inside a graph helper, the call it came from (" (in the helper 'Dense', called at
        /// Model.cs line 12)"), appended to messages about it; null for Define's own ops.</summary>
        public List<string?> OpContexts { get; }

        public GraphDeclarationSpec Spec { get; }
        public List<ParseError> Errors { get; }
        public List<Dictionary<string, Location>> ArgumentLocations { get; }
        public List<Location> OpLocations { get; }
        public Location? ReturnLocation { get; }
    }

    /// <summary>Stage 1: an IOperation walk of Define into an equatable spec, with source locations for the analyzers.
    /// Use it through <see cref="GraphFrontEnd.Parse"/>, which runs it once per graph and compilation.</summary>
    internal static class GraphParser
    {
        internal const string GraphOpAttributeName = "GraphSampling.GraphOpAttribute";
        internal const string GraphBuilderName = "GraphSampling.GraphBuilder";

        /// <summary>Reads the Define method of a [ComputationGraph] class into a spec: every call of a [GraphOp] member
        /// becomes an <see cref="OpSpec"/>; locals are tracked so that later calls refer to earlier ones.</summary>
        internal static ParsedGraph Parse(INamedTypeSymbol type, SemanticModel model, CancellationToken ct)
        {
            var reader = new DefineReader(type, model, ct);
            return reader.Read();
        }

        private sealed class DefineReader
        {
            private readonly INamedTypeSymbol _type;
            private readonly SemanticModel _model;
            private readonly CancellationToken _ct;
            private readonly List<OpSpec> _ops = new List<OpSpec>();
            private readonly List<ParseError> _errors = new List<ParseError>();
            private readonly List<Dictionary<string, Location>> _argLocations = new List<Dictionary<string, Location>>();
            private readonly List<Location> _opLocations = new List<Location>();
            private readonly List<string?> _opContexts = new List<string?>();
            private Scope _scope;
            private int _helperDepth;
            private int _helperCalls;

            /// <summary>How deep helpers may call helpers (a deeper chain is almost surely recursion).</summary>
            private const int MaxHelperDepth = 16;
            private ValueRef _output = new ValueRef(-1);
            private Location? _resultLocation;
            private Location? _returnLocation;

            public DefineReader(INamedTypeSymbol type, SemanticModel model, CancellationToken ct)
            {
                _type = type;
                _model = model;
                _ct = ct;
                _scope = new Scope(model, null, null, isHelper: false);
            }

            /// <summary>
            /// The method being read: Define, or a helper it calls, read in place of the call (inlined). Locals and the
            /// helper's parameters belong to one call, so a helper called twice builds its ops twice.
            /// </summary>
            private sealed class Scope
            {
                public Scope(SemanticModel model, string? prefix, string? callSite, bool isHelper)
                {
                    Model = model;
                    Prefix = prefix;
                    CallSite = callSite;
                    IsHelper = isHelper;
                }

                /// <summary>The semantic model of the tree the method is in.</summary>
                public SemanticModel Model { get; }
                /// <summary>Prepended to the helper's local names ("h1_" for <c>var h1 = Dense(...)</c>), so two calls give
                /// the nodes they build distinct names.</summary>
                public string? Prefix { get; }
                /// <summary>Appended to messages about the helper's code: which call of it they concern.</summary>
                public string? CallSite { get; }
                public bool IsHelper { get; }
                public Dictionary<ILocalSymbol, LocalValue> Locals { get; } = new Dictionary<ILocalSymbol, LocalValue>(SymbolEqualityComparer.Default);
                public Dictionary<IParameterSymbol, LocalValue> TensorParameters { get; } = new Dictionary<IParameterSymbol, LocalValue>(SymbolEqualityComparer.Default);
                public Dictionary<IParameterSymbol, ArgValue> ConstantParameters { get; } = new Dictionary<IParameterSymbol, ArgValue>(SymbolEqualityComparer.Default);
                public LocalValue? Returned { get; set; }
                /// <summary>The variable the helper's call is assigned to: the name of the op its return builds.</summary>
                public string? ResultName { get; set; }
            }

            /// <summary>What a local holds: one tensor, or a multi-output result (SampledValues, TopKResult).</summary>
            private readonly struct LocalValue
            {
                public LocalValue(ValueRef tensor, int outputs)
                {
                    Tensor = tensor;
                    Outputs = outputs;
                }

                public ValueRef Tensor { get; }
                public int Outputs { get; }
            }

            public ParsedGraph Read()
            {
                CheckGeneratedTypeNames();
                var define = FindDefine();
                if (_errors.Count > 0) { }
                else if (define != null) ReadBody(define);
                else _errors.Add(new ParseError("GS1002", _type.Locations.FirstOrDefault() ?? Location.None,
                    "'" + _type.Name + "' needs a method 'static Tensor<float> Define(GraphBuilder g)' that declares the graph"));
                if (_output.Node < 0 && define != null && _errors.Count == 0)
                {
                    _errors.Add(new ParseError("GS1003", define.Identifier.GetLocation(), "Define must end with 'return <tensor>;'"));
                }
                CheckDeclarationShape();
                var spec = new GraphDeclarationSpec(
                    _type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
                    new EquatableArray<TypeDeclarationSpec>(ContainingTypes()),
                    HintNameOf(_type),
                    new EquatableArray<OpSpec>(_ops.ToArray()),
                    _output.Node,
                    _output.Output,
                    _errors.Count > 0,
                    ExtraOutputs: new EquatableArray<OutputSpec>(_extraOutputs.Select(o => new OutputSpec(o.Name, o.Value.Node, o.Value.Output)).ToArray()),
                    OutputName: _outputName);
                return new ParsedGraph(spec, _errors, _argLocations, _opLocations, _returnLocation, _opContexts);
            }

            /// <summary>The generator adds nested program classes and RecordGraph to the graph class: a class by one of
            /// those names, or a member of the graph class that has one, would collide with them (GS1006).</summary>
            private void CheckGeneratedTypeNames()
            {
                foreach (string generated in GeneratedGraphClassMembers)
                {
                    if (_type.Name == generated)
                    {
                        Error("GS1006", _type.Locations.FirstOrDefault() ?? Location.None,
                            "the graph class is named '" + generated + "', the name of a member the generator adds to it (a nested type cannot share its class's name); rename the class");
                        return;
                    }
                    foreach (var member in _type.GetMembers(generated))
                    {
                        if (member.IsImplicitlyDeclared || member.Locations.All(l => !l.IsInSource) || IsOurs(member)) continue;
                        Error("GS1006", member.Locations.First(l => l.IsInSource),
                            "'" + _type.Name + "' declares '" + generated + "', a name the generator adds to the graph class; rename it");
                        return;
                    }
                }
            }

            /// <summary>Whether the generator wrote this member (its [GeneratedCode] names us).</summary>
            private static bool IsOurs(ISymbol member) => member.GetAttributes().Any(a =>
                a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute"
                && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == "GraphSampling.Generators");

            private static readonly string[] GeneratedGraphClassMembers = { "CpuProgram", "GpuProgram", "RecordGraph" };

            /// <summary>Define returns Tensor&lt;float&gt;, or a tuple of tensors (several outputs, the first the loss).</summary>
            private static bool IsOutputType(ITypeSymbol type)
            {
                if (type is not INamedTypeSymbol named) return false;
                if (named.IsTupleType)
                {
                    if (named.TupleElements.Length < 2) return false;
                    foreach (var e in named.TupleElements) if (!IsTensor(e.Type)) return false;
                    return true;
                }
                return named.Name == "Tensor" && named.TypeArguments.Length == 1 && named.TypeArguments[0].SpecialType == SpecialType.System_Single;
            }

            private static bool IsTensor(ITypeSymbol type) => type is INamedTypeSymbol { Name: "Tensor", TypeArguments.Length: 1 } t
                && (t.TypeArguments[0].SpecialType == SpecialType.System_Single || t.TypeArguments[0].SpecialType == SpecialType.System_Int64);

            private INamedTypeSymbol? _defineReturnType;
            private MethodDeclarationSyntax? _defineSyntax;
            private readonly List<NamedOutput> _extraOutputs = new List<NamedOutput>();
            private string _outputName = IrGraph.DefaultOutputName;

            /// <summary>A tuple return: each element evaluated to a value, named by Define's declared element names (the
            /// first letter lower-cased, as the span parameters are), each name checked against the inputs and the
            /// methods' own parameters (GS1006 at the element of the return type).</summary>
            private void ReadOutputs(ITupleOperation tuple)
            {
                var declared = _defineReturnType!.TupleElements;
                var returnTypeSyntax = _defineSyntax?.ReturnType as TupleTypeSyntax;
                // Every element first: an element may declare inputs (an expression-bodied Define), and the names are
                // checked against all of them.
                var values = new ValueRef[tuple.Elements.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    var value = Evaluate(tuple.Elements[i], null);
                    if (value == null) return;
                    if (value.Value.Outputs > 1)
                    {
                        Error("GS1003", tuple.Elements[i].Syntax.GetLocation(), "return one tensor per output (a property such as .Values), not a multi-output result");
                        return;
                    }
                    values[i] = value.Value.Tensor;
                }
                var inputNames = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (var op in _ops)
                {
                    if (op.Kind != OpKind.Input) continue;
                    foreach (var arg in op.Args) if (arg.Name == "name" && arg.Value.StringValue != null) inputNames.Add(arg.Value.StringValue);
                }
                var taken = new HashSet<string>(System.StringComparer.Ordinal);
                for (int i = 0; i < values.Length; i++)
                {
                    // At the element's name in the return type (the whole element when it has none).
                    var elementSyntax = returnTypeSyntax != null && i < returnTypeSyntax.Elements.Count ? returnTypeSyntax.Elements[i] : null;
                    var location = elementSyntax == null ? tuple.Elements[i].Syntax.GetLocation()
                        : elementSyntax.Identifier.Span.IsEmpty ? elementSyntax.GetLocation() : elementSyntax.Identifier.GetLocation();
                    var element = declared[i];
                    if (!element.IsExplicitlyNamedTupleElement)
                    {
                        Error("GS1002", location, "name each output of Define's tuple (for example '(Tensor<float> Loss, Tensor<float> Logits) Define(GraphBuilder g)'): the names become Forward's span parameters");
                        return;
                    }
                    string name = char.ToLowerInvariant(element.Name[0]) + element.Name.Substring(1);
                    string? clash = name.StartsWith(ProgramNames.ReservedPrefix, System.StringComparison.Ordinal) ? "starts with '" + ProgramNames.ReservedPrefix + "', which is reserved for the names the generator writes"
                        : name == "batch" || name == "outputGradient" ? "is the name of a parameter every program's Forward has"
                        : inputNames.Contains(name) ? "is also the name of an input"
                        : !taken.Add(name) ? "is the name of another output (names are compared with their first letter lower-cased)"
                        : null;
                    if (clash != null)
                    {
                        Error("GS1006", location, "the output '" + element.Name + "' becomes the parameter '" + name + "', which " + clash + "; rename it");
                        return;
                    }
                    if (i == 0)
                    {
                        _output = values[i];
                        _outputName = name;
                    }
                    else
                    {
                        _extraOutputs.Add(new NamedOutput(name, values[i]));
                    }
                }
            }

            private MethodDeclarationSyntax? FindDefine()
            {
                foreach (var member in _type.GetMembers("Define"))
                {
                    if (member is not IMethodSymbol m || !m.IsStatic || m.Parameters.Length != 1) continue;
                    if (m.Parameters[0].Type.ToDisplayString() != GraphBuilderName) continue;
                    if (!IsOutputType(m.ReturnType)) continue;
                    _defineReturnType = (INamedTypeSymbol)m.ReturnType;
                    // Define may sit in another partial part (another file) than the attribute: read it with its own tree's model.
                    MethodDeclarationSyntax? elsewhere = null;
                    foreach (var r in m.DeclaringSyntaxReferences)
                    {
                        if (r.GetSyntax(_ct) is not MethodDeclarationSyntax syntax) continue;
                        if (syntax.SyntaxTree == _model.SyntaxTree) return syntax;
                        elsewhere ??= syntax;
                    }
                    if (elsewhere != null)
                    {
                        _scope = new Scope(_model.Compilation.GetSemanticModel(elsewhere.SyntaxTree), null, null, isHelper: false);
                        return elsewhere;
                    }
                }
                return null;
            }

            private void ReadBody(MethodDeclarationSyntax define)
            {
                _defineSyntax = define;
                if (_scope.Model.GetOperation(define, _ct) is not IMethodBodyOperation body) return;
                var block = (IOperation?)body.BlockBody ?? body.ExpressionBody;
                if (block == null) return;
                foreach (var statement in block.ChildOperations)
                {
                    _ct.ThrowIfCancellationRequested();
                    ReadStatement(statement);
                    if (_errors.Count > 0) return;
                }
            }

            private void ReadStatement(IOperation statement)
            {
                switch (statement)
                {
                    case IVariableDeclarationGroupOperation group:
                        foreach (var declaration in group.Declarations)
                        {
                            foreach (var declarator in declaration.Declarators)
                            {
                                var init = declarator.Initializer?.Value ?? declaration.Initializer?.Value;
                                if (declarator.Symbol.IsConst) continue;   // constants are folded where they are used
                                if (declarator.Symbol.Type.TypeKind == TypeKind.Error)
                                {
                                    // Its initialiser does not compile (a typo'd op): the compiler says so; stop quietly.
                                    _errors.Add(ParseError.Silent(declarator.Syntax.GetLocation()));
                                    return;
                                }
                                // A plain (non-const) local is not recorded: using it as an op argument reports GS1004 there.
                                if (!IsTensorLike(declarator.Symbol.Type)) continue;
                                if (init == null)
                                {
                                    Error("GS1003", declarator.Syntax.GetLocation(), "'" + declarator.Symbol.Name + "' must be initialised where it is declared");
                                    return;
                                }
                                // A sampler's or loss's name errors (GS1006) point at the variable that names it.
                                _resultLocation = declarator.Syntax is VariableDeclaratorSyntax v ? v.Identifier.GetLocation() : declarator.Syntax.GetLocation();
                                var value = Evaluate(init, _scope.Prefix + declarator.Symbol.Name);
                                _resultLocation = null;
                                if (value == null) return;
                                _scope.Locals[declarator.Symbol] = value.Value;
                            }
                        }
                        return;
                    case IReturnOperation ret when ret.ReturnedValue != null && !_scope.IsHelper && Unwrap(ret.ReturnedValue) is ITupleOperation tuple:
                    {
                        _returnLocation = ret.ReturnedValue.Syntax.GetLocation();
                        ReadOutputs(tuple);
                        return;
                    }
                    case IReturnOperation ret when ret.ReturnedValue != null:
                    {
                        // A helper's returned op takes the name of the variable its call is assigned to.
                        var value = Evaluate(ret.ReturnedValue, _scope.IsHelper ? _scope.ResultName : null);
                        if (value == null) return;
                        if (_scope.IsHelper)
                        {
                            _scope.Returned = value;
                            return;
                        }
                        _output = value.Value.Tensor;
                        _returnLocation = ret.ReturnedValue.Syntax.GetLocation();
                        return;
                    }
                    case IExpressionStatementOperation expression:
                        Evaluate(expression.Operation, null);
                        return;
                    default:
                        Error("GS1003", statement.Syntax.GetLocation(), "only variable declarations, op calls and 'return' may appear in " + (_scope.IsHelper ? "a graph helper" : "Define") + " (found '" + FirstLine(statement.Syntax.ToString()) + "')");
                        return;
                }
            }

            private LocalValue? Evaluate(IOperation operation, string? resultName)
            {
                operation = Unwrap(operation);
                switch (operation)
                {
                    case ILocalReferenceOperation local when _scope.Locals.TryGetValue(local.Local, out var v):
                        return v;
                    case IParameterReferenceOperation parameter when _scope.TensorParameters.TryGetValue(parameter.Parameter.OriginalDefinition, out var bound):
                        return bound;
                    case IPropertyReferenceOperation property when property.Instance != null && Evaluate(property.Instance, null) is { Outputs: > 1 } multi:
                    {
                        // The result's property names its output (SampledValues.TrueExpectedCount, TopKResult.Indices).
                        int index = OpSchemas.Of(_ops[multi.Tensor.Node].Kind).OutputIndex(property.Property.Name);
                        if (index < 0) break;
                        return new LocalValue(new ValueRef(multi.Tensor.Node, index), 1);
                    }
                    case IInvocationOperation call when GraphOpKind(call.TargetMethod) is OpKind kind:
                        return RecordCall(kind, call.TargetMethod, call.Arguments, operation, resultName);
                    case IInvocationOperation call when IsGraphHelper(call.TargetMethod, out var helper):
                        return InlineHelper(call, helper!, resultName);
                    case IBinaryOperation binary when binary.OperatorMethod != null && GraphOpKind(binary.OperatorMethod) is OpKind kind:
                    {
                        var x = Evaluate(binary.LeftOperand, null);
                        var y = x == null ? null : Evaluate(binary.RightOperand, null);
                        if (x == null || y == null) return null;
                        var args = new List<NamedArg> { new NamedArg("x", ArgValue.Tensor(x.Value.Tensor)), new NamedArg("y", ArgValue.Tensor(y.Value.Tensor)) };
                        var locations = new Dictionary<string, Location> { ["x"] = binary.LeftOperand.Syntax.GetLocation(), ["y"] = binary.RightOperand.Syntax.GetLocation() };
                        return Add(new OpSpec(kind, resultName, new EquatableArray<NamedArg>(args.ToArray())), operation.Syntax.GetLocation(), locations, 1);
                    }
                }
                // An error already found inside this expression (GS1004 at an argument, say) is the cause; GS1005 on the
                // expression around it would only repeat it.
                if (_errors.Count > 0) return null;
                if (HasCompilerError(operation))
                {
                    // A typo'd op or an argument of the wrong type: the compiler already says so at the right place, and
                    // GS1005 ("not a graph op") would only add noise. The graph still generates nothing.
                    _errors.Add(ParseError.Silent(operation.Syntax.GetLocation()));
                    return null;
                }
                Error("GS1005", operation.Syntax.GetLocation(), "'" + FirstLine(operation.Syntax.ToString()) + "' is not a graph op; Define and its graph helpers may only call GraphBuilder ops, graph helpers (static methods taking the GraphBuilder) and use the tensors they return");
                return null;
            }

            private LocalValue? RecordCall(OpKind kind, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, IOperation call, string? resultName)
            {
                var args = new List<NamedArg>();
                var locations = new Dictionary<string, Location>();
                // Inputs and constants take their dtype from the type argument (Input<float>, Fill<long>); the recorder
                // passes the same "dtype" argument.
                if (method.TypeArguments.Length == 1 && (kind == OpKind.Input || kind == OpKind.Constant))
                {
                    var t = method.TypeArguments[0].SpecialType;
                    if (t != SpecialType.System_Single && t != SpecialType.System_Int64)
                    {
                        Error("GS2003", call.Syntax.GetLocation(), "tensors hold float or long, not '" + method.TypeArguments[0].ToDisplayString() + "'");
                        return null;
                    }
                    args.Add(new NamedArg("dtype", ArgValue.Int(t == SpecialType.System_Single ? (int)DType.Float32 : (int)DType.Int64)));
                }
                foreach (var argument in arguments)
                {
                    _ct.ThrowIfCancellationRequested();
                    if (argument.Parameter == null) continue;
                    // The builder itself (the receiver of an extension op) is not an argument of the op.
                    if (argument.Parameter.Type.ToDisplayString() == GraphBuilderName) continue;
                    string name = argument.Parameter.Name;
                    var location = argument.ArgumentKind == ArgumentKind.DefaultValue ? call.Syntax.GetLocation() : argument.Syntax.GetLocation();
                    locations[name] = location;
                    var value = ArgumentValue(argument.Value, name, location, method.Name);
                    if (value == null) return null;
                    args.Add(new NamedArg(name, value));
                }
                var fixedValue = FixedValue(method);
                if (fixedValue.HasValue) args.Add(new NamedArg("value", ArgValue.Double(fixedValue.Value)));
                int outputs = OpSchemas.TryGet(kind, out var schema) ? schema.Outputs.Count : 1;
                return Add(new OpSpec(kind, resultName, new EquatableArray<NamedArg>(args.ToArray())), call.Syntax.GetLocation(), locations, outputs);
            }

            private LocalValue Add(OpSpec op, Location location, Dictionary<string, Location> argLocations, int outputs)
            {
                _opContexts.Add(_scope.CallSite);
                if (op.ResultName != null && _resultLocation != null) argLocations[ProgramNames.ResultArgument] = _resultLocation;
                _ops.Add(op);
                _opLocations.Add(location);
                _argLocations.Add(argLocations);
                return new LocalValue(new ValueRef(_ops.Count - 1), outputs);
            }

            private ArgValue? ArgumentValue(IOperation value, string parameter, Location location, string method)
            {
                if (value.ConstantValue.HasValue && !FitsArgument(value.ConstantValue.Value))
                {
                    Error("GS2004", location, "argument '" + parameter + "' of " + method + " is " + value.ConstantValue.Value + ", beyond the range of a long");
                    return null;
                }
                if (value.ConstantValue.HasValue) return Constant(value.ConstantValue.Value);
                var unwrapped = Unwrap(value);
                if (unwrapped is IDefaultValueOperation || (unwrapped.ConstantValue.HasValue && unwrapped.ConstantValue.Value == null)) return ArgValue.Null;
                if (unwrapped.ConstantValue.HasValue) return Constant(unwrapped.ConstantValue.Value);
                IEnumerable<IOperation>? elements = unwrapped switch
                {
                    IArrayCreationOperation array => array.Initializer?.ElementValues ?? (IEnumerable<IOperation>)new IOperation[0],
                    ICollectionExpressionOperation collection => collection.Elements,
                    _ => null,
                };
                if (elements != null) return ArrayValue(elements.ToList(), parameter, location, method);
                if (unwrapped is IParameterReferenceOperation p && _scope.ConstantParameters.TryGetValue(p.Parameter.OriginalDefinition, out var constant)) return constant;
                if (IsTensorLike(unwrapped.Type))
                {
                    var v = Evaluate(unwrapped, null);
                    if (v == null) return null;
                    if (v.Value.Outputs == 3) return ArgValue.TensorArray(new[] { v.Value.Tensor, new ValueRef(v.Value.Tensor.Node, 1), new ValueRef(v.Value.Tensor.Node, 2) });
                    return ArgValue.Tensor(v.Value.Tensor);
                }
                Error("GS1004", location, "argument '" + parameter + "' of " + method + " must be a compile-time constant (a literal or a const), because shapes and attributes are fixed when the code is generated");
                return null;
            }

            private ArgValue? ArrayValue(List<IOperation> elements, string parameter, Location location, string method)
            {
                if (elements.Count > 0 && IsTensorLike(Unwrap(elements[0]).Type))
                {
                    var refs = new List<ValueRef>();
                    foreach (var e in elements)
                    {
                        var v = Evaluate(e, null);
                        if (v == null) return null;
                        refs.Add(v.Value.Tensor);
                    }
                    return ArgValue.TensorArray(refs.ToArray());
                }
                var ints = new List<long>();
                var doubles = new List<double>();
                bool floating = false;
                foreach (var element in elements)
                {
                    var e = element;
                    if (Unwrap(e) is IParameterReferenceOperation p && _scope.ConstantParameters.TryGetValue(p.Parameter.OriginalDefinition, out var bound) && (bound.Kind == ArgKind.Int || bound.Kind == ArgKind.Double))
                    {
                        // A helper's parameter holding a constant (dims passed through a helper).
                        if (bound.Kind == ArgKind.Double) floating = true;
                        doubles.Add(bound.Kind == ArgKind.Double ? bound.DoubleValue : bound.IntValue);
                        if (!floating) ints.Add(bound.IntValue);
                        continue;
                    }
                    if (!e.ConstantValue.HasValue || e.ConstantValue.Value == null)
                    {
                        Error("GS1004", e.Syntax.GetLocation(), "element '" + e.Syntax + "' of '" + parameter + "' (" + method + ") must be a compile-time constant");
                        return null;
                    }
                    object c = e.ConstantValue.Value;
                    if (!FitsArgument(c) || c is string || c is bool || c is char)
                    {
                        Error("GS2004", e.Syntax.GetLocation(), "element '" + e.Syntax + "' of '" + parameter + "' (" + method + ") must be a number a long or double holds");
                        return null;
                    }
                    if (c is double || c is float) floating = true;
                    doubles.Add(System.Convert.ToDouble(c, System.Globalization.CultureInfo.InvariantCulture));
                    if (!floating) ints.Add(System.Convert.ToInt64(c, System.Globalization.CultureInfo.InvariantCulture));
                }
                return floating ? ArgValue.DoubleArray(doubles.ToArray()) : ArgValue.IntArray(ints.ToArray());
            }

            /// <summary>Whether an integer constant fits the long every attribute is held in (a ulong may not).</summary>
            private static bool FitsArgument(object? c) => c is not ulong u || u <= long.MaxValue;

            private static ArgValue Constant(object? c)
            {
                switch (c)
                {
                    case null: return ArgValue.Null;
                    case bool b: return ArgValue.Bool(b);
                    case string s: return ArgValue.String(s);
                    case double d: return ArgValue.Double(d);
                    case float f: return ArgValue.Double(f);
                    default: return ArgValue.Int(System.Convert.ToInt64(c, System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            private static bool IsTensorLike(ITypeSymbol? type)
            {
                if (type is INamedTypeSymbol { IsGenericType: true } g && g.ConstructedFrom.Name == "Nullable") type = g.TypeArguments[0];
                return type != null && type.ContainingNamespace?.ToDisplayString() == "GraphSampling"
                    && (type.Name == "Tensor" || type.Name == "SampledValues" || type.Name == "TopKResult");
            }

            private static OpKind? GraphOpKind(IMethodSymbol method)
            {
                foreach (var attribute in (method.ReducedFrom ?? method.OriginalDefinition).GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() == GraphOpAttributeName && attribute.ConstructorArguments.Length == 1
                        && attribute.ConstructorArguments[0].Value is int k)
                    {
                        return (OpKind)k;
                    }
                }
                return null;
            }

            /// <summary>The "value" a [GraphOp(..., Value = v)] attribute fixes (Zeros, Ones), if any.</summary>
            private static double? FixedValue(IMethodSymbol method)
            {
                foreach (var attribute in (method.ReducedFrom ?? method.OriginalDefinition).GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() != GraphOpAttributeName) continue;
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key == "Value" && named.Value.Value is double v) return v;
                    }
                }
                return null;
            }

            private static IOperation Unwrap(IOperation operation)
            {
                while (operation is IConversionOperation { IsImplicit: true } conversion) operation = conversion.Operand;
                while (operation is IParenthesizedOperation p) operation = p.Operand;
                return operation;
            }

            private void Error(string id, Location location, string message) => _errors.Add(new ParseError(id, location, message + _scope.CallSite));

            /// <summary>
            /// A graph helper: a static method written in this compilation that takes the GraphBuilder and returns a tensor
            /// (or SampledValues, TopKResult), in any type. Define may call it; its body follows Define's rules and is read
            /// in place of the call.
            /// </summary>
            private bool IsGraphHelper(IMethodSymbol method, out MethodDeclarationSyntax? syntax)
            {
                syntax = null;
                var definition = method.ReducedFrom ?? method;
                if (!definition.IsStatic || !IsTensorLike(definition.ReturnType)) return false;
                if (!definition.Parameters.Any(p => p.Type.ToDisplayString() == GraphBuilderName)) return false;
                if (definition.ContainingType == null) return false;
                syntax = definition.DeclaringSyntaxReferences.Select(r => r.GetSyntax(_ct)).OfType<MethodDeclarationSyntax>()
                    .FirstOrDefault(m => m.Body != null || m.ExpressionBody != null);
                return syntax != null;
            }

            /// <summary>Reads a helper's body in place of its call: its tensor parameters bound to the call's tensors, its
            /// other parameters to the call's constants. Messages about its code point into it and name this call.</summary>
            private LocalValue? InlineHelper(IInvocationOperation call, MethodDeclarationSyntax syntax, string? resultName)
            {
                var method = call.TargetMethod.ReducedFrom ?? call.TargetMethod;
                if (_helperDepth >= MaxHelperDepth)
                {
                    Error("GS1003", call.Syntax.GetLocation(), "graph helpers call each other more than " + MaxHelperDepth + " deep here (is '" + method.Name + "' recursive?)");
                    return null;
                }
                var model = syntax.SyntaxTree == _scope.Model.SyntaxTree ? _scope.Model : _scope.Model.Compilation.GetSemanticModel(syntax.SyntaxTree);
                var line = call.Syntax.GetLocation().GetLineSpan();
                string callSite = " (in the helper '" + method.Name + "', called at " + System.IO.Path.GetFileName(line.Path) + " line " + (line.StartLinePosition.Line + 1) + ")" + _scope.CallSite;
                // Names inside the helper: after the call's variable when it has one, else the helper and a call count;
                // a leading '_' is dropped (user names may not start with it, GS1006).
                string prefix = resultName != null ? resultName : _scope.Prefix + method.Name.TrimStart('_') + (++_helperCalls);
                var scope = new Scope(model, prefix + "_", callSite, isHelper: true) { ResultName = resultName };
                foreach (var argument in call.Arguments)
                {
                    var parameter = argument.Parameter;
                    if (parameter == null || parameter.Type.ToDisplayString() == GraphBuilderName) continue;
                    var location = argument.ArgumentKind == ArgumentKind.DefaultValue ? call.Syntax.GetLocation() : argument.Syntax.GetLocation();
                    // The body refers to the method's own parameters (not the constructed generic's).
                    var key = parameter.OriginalDefinition;
                    if (IsTensorLike(parameter.Type))
                    {
                        var saved = _resultLocation;
                        _resultLocation = null;
                        var tensor = Evaluate(argument.Value, null);
                        _resultLocation = saved;
                        if (tensor == null) return null;
                        scope.TensorParameters[key] = tensor.Value;
                    }
                    else
                    {
                        var constant = ArgumentValue(argument.Value, parameter.Name, location, method.Name);
                        if (constant == null) return null;
                        scope.ConstantParameters[key] = constant;
                    }
                }
                if (model.GetOperation(syntax, _ct) is not IMethodBodyOperation body) return null;
                var block = (IOperation?)body.BlockBody ?? body.ExpressionBody;
                if (block == null) return null;
                var outer = _scope;
                var outerResultLocation = _resultLocation;
                _scope = scope;
                _helperDepth++;
                try
                {
                    foreach (var statement in block.ChildOperations)
                    {
                        _ct.ThrowIfCancellationRequested();
                        ReadStatement(statement);
                        if (_errors.Count > 0) return null;
                    }
                    if (scope.Returned == null)
                    {
                        Error("GS1003", syntax.Identifier.GetLocation(), "the graph helper '" + method.Name + "' must end with 'return <tensor>;'");
                        return null;
                    }
                    return scope.Returned;
                }
                finally
                {
                    _helperDepth--;
                    _scope = outer;
                    _resultLocation = outerResultLocation;
                }
            }

            /// <summary>Whether the compiler reports an error inside this expression (an unbound or mis-typed call).</summary>
            private bool HasCompilerError(IOperation operation)
            {
                if (operation is IInvalidOperation) return true;
                foreach (var d in _scope.Model.GetDiagnostics(operation.Syntax.Span, _ct))
                {
                    if (d.Severity == DiagnosticSeverity.Error) return true;
                }
                return false;
            }

            private static string FirstLine(string text)
            {
                int nl = text.IndexOf('\n');
                return (nl < 0 ? text : text.Substring(0, nl)).Trim();
            }

            private TypeDeclarationSpec[] ContainingTypes()
            {
                var list = new List<TypeDeclarationSpec>();
                for (var t = _type; t != null; t = t.ContainingType)
                {
                    string keyword = t.TypeKind == TypeKind.Interface ? "interface"
                        : t.IsRecord ? (t.TypeKind == TypeKind.Struct ? "record struct" : "record")
                        : t.TypeKind == TypeKind.Struct ? "struct" : "class";
                    string typeParameters = t.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", t.TypeParameters.Select(p => Identifier(p.Name))) + ">";
                    list.Insert(0, new TypeDeclarationSpec(keyword, Identifier(t.Name), typeParameters));
                }
                return list.ToArray();
            }

            private static string Identifier(string name) =>
                Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) != Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? "@" + name : name;

            /// <summary>
            /// The generator writes a partial part of the graph class and of every type around it, so each must be
            /// partial, and the graph class static (GS1001, at the type); a generic graph class is refused too, since
            /// its program could not know its type arguments. Checked here, so the generator emits nothing for such a
            /// class (no CS0260 in a generated file) and the analyzers report it.
            /// </summary>
            private void CheckDeclarationShape()
            {
                var here = LocationOf(_type);
                if (!_type.IsStatic || !AllPartsPartial(_type))
                {
                    Error("GS1001", here, "'" + _type.Name + "' has [ComputationGraph], so it must be declared 'static partial' (the generator adds the program classes to it)");
                }
                else if (_type.IsFileLocal || ContainedInFileLocal(_type))
                {
                    Error("GS1001", here, "'" + _type.Name + "' is file-local (or inside a 'file' type); the generator's part of it lives in another file, so it cannot be: drop 'file'");
                }
                else if (_type.Arity > 0)   // IsGenericType is also true inside a generic container
                {
                    Error("GS1001", here, "'" + _type.Name + "' is generic; a graph class cannot be (its shapes and program are fixed when the code is generated): move the type parameters to a containing type or drop them");
                }
                for (var outer = _type.ContainingType; outer != null; outer = outer.ContainingType)
                {
                    if (AllPartsPartial(outer)) continue;
                    // Reported by the analyzer from the container's own declaration (so the code fix can act on it);
                    // here it only stops generation.
                    _errors.Add(ParseError.Silent(LocationOf(outer)));
                }
            }

            private static bool ContainedInFileLocal(INamedTypeSymbol t)
            {
                for (var outer = t.ContainingType; outer != null; outer = outer.ContainingType)
                {
                    if (outer.IsFileLocal) return true;
                }
                return false;
            }

            private Location LocationOf(INamedTypeSymbol t)
            {
                // The identifier in this file when the type has a part here, else its first part.
                foreach (var r in t.DeclaringSyntaxReferences)
                {
                    if (r.SyntaxTree == _model.SyntaxTree && r.GetSyntax(_ct) is BaseTypeDeclarationSyntax d) return d.Identifier.GetLocation();
                }
                return t.Locations.FirstOrDefault() ?? Location.None;
            }

            private bool AllPartsPartial(INamedTypeSymbol t) => t.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(_ct) is TypeDeclarationSyntax d && IsPartial(d));
        }

        /// <summary>
        /// The hint name of a graph's files: the fully qualified name with every character a hint name may not hold
        /// replaced by '_' (generic arity kept, so O and O&lt;T&gt; differ); when anything was replaced, a hash of the full
        /// name keeps apart names that became equal ("@class" and "class", "O&lt;T&gt;.G" and "O_T_.G").
        /// </summary>
        internal static bool IsPartial(TypeDeclarationSyntax d) => d.Modifiers.Any(m => m.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword));

        internal static string HintNameOf(INamedTypeSymbol type)
        {
            string full = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
            var chars = full.ToCharArray();
            bool replaced = false;
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
                if (allowed) continue;
                chars[i] = '_';
                replaced = true;
            }
            string hint = new string(chars);
            return replaced ? hint + "_" + StableHash(full) : hint;
        }

        /// <summary>FNV-1a of a string as 8 hex digits: the same on every run and platform (string.GetHashCode is not),
        /// so hint names are deterministic.</summary>
        internal static string StableHash(string text)
        {
            uint hash = 2166136261;
            foreach (char c in text) hash = (hash ^ c) * 16777619;
            return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
