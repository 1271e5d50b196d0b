using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// What flows into each local of one operation block: its initializer, assignments, increments,
/// out/ref arguments, deconstructions, and mutations through it (<c>cmd.Parameters.AddWithValue(...)</c>).
/// Filled by the analyzer's operation callbacks (one pass that Roslyn drives), queried at block end.
/// Every question asked of it is memoized and bounded, so a long reassignment chain cannot hang the compiler.
/// </summary>
internal sealed class LocalDataFlow
{
    /// <summary>Per-question and per-block bounds: a question that runs out answers "no" (precision first).</summary>
    public const int MaxDepth = 24;
    public const int MaxStepsPerBlock = 50_000;

    private readonly Dictionary<ISymbol, List<LocalDefinition>> _definitions = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<(ISymbol Local, IOperation Loop), bool> _varyingMemo = new();
    private readonly Dictionary<ILocalSymbol, List<ILocalSymbol>> _aliases = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, QueryOrigin> _queryOriginMemo = new(SymbolEqualityComparer.Default);
    private readonly object _gate = new();
    private int _steps;

    public bool BudgetExhausted => _steps > MaxStepsPerBlock;

    public void RecordDefinition(ISymbol local, IOperation? value, IOperation site, bool isMutation = false)
    {
        if (!_definitions.TryGetValue(local, out var list))
        {
            list = new List<LocalDefinition>(1);
            _definitions.Add(local, list);
        }

        list.Add(new LocalDefinition(value, site, isMutation));
    }

    /// <summary>What is stored into a local (or an assigned parameter), in source order.</summary>
    public IReadOnlyList<LocalDefinition> GetDefinitions(ISymbol local)
        => _definitions.TryGetValue(local, out var list) ? list : (IReadOnlyList<LocalDefinition>)System.Array.Empty<LocalDefinition>();

    /// <summary>Records what an operation defines, for the operation kinds the analyzer subscribes to.</summary>
    public void Record(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation declarator:
                var initializer = declarator.GetVariableInitializer()?.Value;
                if (initializer is not null)
                {
                    RecordDefinition(declarator.Symbol, initializer, declarator);

                    // var p = cmd.Parameters.Add(..): writes through p change what cmd sends.
                    if (declarator.Symbol.Type.IsReferenceType && initializer.WalkDownConversions() is IPropertyReferenceOperation or IInvocationOperation or IFieldReferenceOperation
                        && initializer.GetRootLocal() is { } aliased && !SymbolEqualityComparer.Default.Equals(aliased, declarator.Symbol))
                    {
                        if (!_aliases.TryGetValue(aliased, out var aliasList))
                        {
                            aliasList = new List<ILocalSymbol>(1);
                            _aliases.Add(aliased, aliasList);
                        }

                        aliasList.Add(declarator.Symbol);
                    }
                }

                break;
            case ISimpleAssignmentOperation assignment:
                if (assignment.Target is ILocalReferenceOperation assignedLocal)
                {
                    RecordDefinition(assignedLocal.Local, assignment.Value, assignment);
                }
                else if (assignment.Target is IParameterReferenceOperation assignedParameter)
                {
                    RecordDefinition(assignedParameter.Parameter, assignment.Value, assignment);
                }
                else if (assignment.Target.GetRootLocal() is { } mutatedLocal)
                {
                    RecordDefinition(mutatedLocal, assignment.Value, assignment, isMutation: true);
                }

                break;
            case ICompoundAssignmentOperation { Target: IParameterReferenceOperation compoundParameter } compoundOnParameter:
                RecordDefinition(compoundParameter.Parameter, compoundOnParameter, compoundOnParameter);
                break;
            case IIncrementOrDecrementOperation { Target: IParameterReferenceOperation incrementedParameter } incrementOnParameter:
                RecordDefinition(incrementedParameter.Parameter, incrementOnParameter, incrementOnParameter);
                break;
            case ICompoundAssignmentOperation compound:
                if (compound.Target.GetRootLocal() is { } compoundLocal)
                {
                    RecordDefinition(compoundLocal, compound, compound, isMutation: compound.Target is not ILocalReferenceOperation);
                }

                break;
            case IIncrementOrDecrementOperation increment:
                if (increment.Target.GetRootLocal() is { } incrementedLocal)
                {
                    RecordDefinition(incrementedLocal, increment, increment);
                }

                break;
            case IDeconstructionAssignmentOperation deconstruction:
                RecordDeconstruction(deconstruction.Target, deconstruction.Value, deconstruction);
                break;
            case IArgumentOperation argument when argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref:
                if (argument.Value.WalkDownConversions() is ILocalReferenceOperation outLocal
                    && argument.Parent is IInvocationOperation outInvocation)
                {
                    RecordDefinition(outLocal.Local, outInvocation, argument);
                }
                else if (argument.Value is IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declaredOut }
                    && argument.Parent is IInvocationOperation declaringInvocation)
                {
                    RecordDefinition(declaredOut.Local, declaringInvocation, argument);
                }

                break;
            case IInvocationOperation invocation when invocation.Instance is not null && invocation.Arguments.Length > 0:
                // cmd.Parameters.AddWithValue("@id", x), list.Add(x): the local now carries x.
                if (invocation.Instance.GetRootLocal() is { } receiverLocal)
                {
                    RecordDefinition(receiverLocal, invocation, invocation, isMutation: true);
                }

                break;
            case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol patternLocal } pattern:
                RecordPatternDefinition(patternLocal, pattern);
                break;
            case IRecursivePatternOperation { DeclaredSymbol: ILocalSymbol recursiveLocal } recursive:
                RecordPatternDefinition(recursiveLocal, recursive);
                break;
        }
    }

    /// <summary>
    /// A local declared by a pattern carries the matched value: <c>e is OrderShipped { OrderId: var id }</c> takes
    /// <c>id</c> from <c>e</c>, so it is recorded as defined by the pattern's input (nested subpatterns included).
    /// </summary>
    private void RecordPatternDefinition(ILocalSymbol local, IOperation pattern)
    {
        for (var current = pattern.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IIsPatternOperation isPattern:
                    RecordDefinition(local, isPattern.Value, pattern);
                    return;
                case IPatternCaseClauseOperation or ISwitchExpressionArmOperation:
                    RecordDefinition(local, FindSwitchValue(current), pattern);
                    return;
                case IPatternOperation or IPropertySubpatternOperation:
                    continue;
                default:
                    return;
            }
        }
    }

    private static IOperation? FindSwitchValue(IOperation pattern)
    {
        for (var current = pattern.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ISwitchOperation switchStatement:
                    return switchStatement.Value;
                case ISwitchExpressionOperation switchExpression:
                    return switchExpression.Value;
            }
        }

        return null;
    }

    private void RecordDeconstruction(IOperation target, IOperation value, IOperation site)
    {
        foreach (var descendant in target.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation local)
            {
                RecordDefinition(local.Local, value, site);
            }
        }
    }

    /// <summary>
    /// Is the local a database query (any of its stored values is one)? <c>var q = db.Posts.Where(..)</c>,
    /// <c>q = q.Where(..)</c>. Memoized; a local in progress answers "no" so reassignment chains terminate.
    /// </summary>
    public QueryOrigin GetQueryOrigin(ILocalSymbol local, RoundTripRecognizer recognizer, int depth)
    {
        lock (_gate)
        {
            return GetQueryOriginCore(local, recognizer, depth);
        }
    }

    private QueryOrigin GetQueryOriginCore(ILocalSymbol local, RoundTripRecognizer recognizer, int depth)
    {
        if (_queryOriginMemo.TryGetValue(local, out var known))
        {
            return known;
        }

        _queryOriginMemo[local] = default;
        QueryOrigin result = default;
        foreach (var definition in GetDefinitions(local))
        {
            if (definition.IsMutation || ++_steps > MaxStepsPerBlock || depth > MaxDepth)
            {
                continue;
            }

            var origin = recognizer.GetQueryOrigin(definition.Value, this, depth + 1);
            if (origin.Root is not null)
            {
                result = new QueryOrigin(origin.Root, result.Paging | origin.Paging);
            }
        }

        _queryOriginMemo[local] = result;
        return result;
    }

    /// <summary>Does <paramref name="value"/> take a different value on each iteration of <paramref name="loop"/>?</summary>
    public bool IsVarying(IOperation? value, LoopScope loop)
    {
        lock (_gate)
        {
            return IsVarying(value, loop, depth: 0);
        }
    }

    private bool IsVarying(IOperation? value, LoopScope loop, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        foreach (var operation in value.DescendantsAndSelf())
        {
            if (++_steps > MaxStepsPerBlock)
            {
                return false;
            }

            switch (operation)
            {
                case ILocalReferenceOperation localReference when IsLocalVarying(localReference.Local, loop, depth + 1):
                    return true;
                case IParameterReferenceOperation parameterReference when loop.IsIterationSymbol(parameterReference.Parameter):
                    return true;
            }
        }

        return false;
    }

    public bool IsLocalVarying(ILocalSymbol local, LoopScope loop)
    {
        lock (_gate)
        {
            return IsLocalVarying(local, loop, 0);
        }
    }

    private bool IsLocalVarying(ILocalSymbol local, LoopScope loop, int depth)
    {
        if (loop.IsIterationSymbol(local))
        {
            return true;
        }

        var key = ((ISymbol)local, loop.Operation);
        if (_varyingMemo.TryGetValue(key, out var known))
        {
            return known;
        }

        // Cycle guard: a local whose definition reads itself is answered "not varying" while in progress;
        // the self-reference case is handled explicitly below (loop-carried state).
        _varyingMemo[key] = false;

        var declaredInLoop = loop.ContainsDeclarationOf(local);
        var result = false;
        foreach (var definition in GetDefinitions(local))
        {
            if (!loop.ContainsPerIteration(definition.Site.Syntax))
            {
                continue;
            }

            if (!declaredInLoop && !definition.IsMutation && ReadsLocal(definition.Value, local))
            {
                // x = x.Parent, page++, offset += size: state carried from one iteration to the next.
                result = true;
                break;
            }

            if (IsVarying(definition.Value, loop, depth + 1) || IsPerPassRead(definition.Value, loop))
            {
                result = true;
                break;
            }
        }

        if (!result && _aliases.TryGetValue(local, out var aliases))
        {
            foreach (var alias in aliases)
            {
                foreach (var definition in GetDefinitions(alias))
                {
                    if (definition.IsMutation && loop.ContainsPerIteration(definition.Site.Syntax) && IsVarying(definition.Value, loop, depth + 1))
                    {
                        result = true;
                        break;
                    }
                }
            }
        }

        if (_steps <= MaxStepsPerBlock)
        {
            _varyingMemo[key] = result;
        }

        return result;
    }

    /// <summary>Declared outside the loop and assigned inside it: state carried from one pass to the next.</summary>
    public bool IsLoopCarried(ISymbol local, LoopScope loop)
    {
        if (loop.IsIterationSymbol(local) || local is ILocalSymbol declared && loop.ContainsDeclarationOf(declared))
        {
            return false;
        }

        foreach (var definition in GetDefinitions(local))
        {
            if (!definition.IsMutation && loop.ContainsPerIteration(definition.Site.Syntax))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// In a while/do loop (no iteration variable), a value taken each pass from a stateful source — a data or text reader,
    /// queue, channel or enumerator (<c>reader.GetInt32(0)</c>, <c>queue.TryDequeue(out var id)</c>,
    /// <c>(line = await csv.ReadLineAsync()) != null</c>) — differs per pass.
    /// </summary>
    private static bool IsPerPassRead(IOperation? value, LoopScope loop)
    {
        if (value is null || loop.Kind is not (LoopKind.While or LoopKind.DoWhile))
        {
            return false;
        }

        foreach (var operation in value.DescendantsAndSelf())
        {
            var receiverType = operation switch
            {
                IInvocationOperation { Instance: { } instance } => instance.Type,
                IPropertyReferenceOperation { Instance: { } instance, Property.IsIndexer: true } => instance.Type,
                IPropertyReferenceOperation { Instance: { } instance, Property.Name: "Current" } => instance.Type,
                _ => null,
            };
            if (IsStatefulSource(receiverType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStatefulSource(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var candidate in type.AllInterfaces.Add(type as INamedTypeSymbol ?? type.BaseType!))
        {
            var name = candidate?.OriginalDefinition.ToDisplayString();
            if (name is "System.Data.IDataRecord" or "System.Collections.IEnumerator" or "System.Collections.Generic.IAsyncEnumerator<T>"
                or "System.Collections.Concurrent.IProducerConsumerCollection<T>" or "System.Collections.Generic.Queue<T>" or "System.Collections.Generic.Stack<T>"
                or "System.Threading.Channels.ChannelReader<T>" or "System.Collections.Concurrent.BlockingCollection<T>")
            {
                return true;
            }
        }

        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.OriginalDefinition.ToDisplayString() is "System.Threading.Channels.ChannelReader<T>" or "System.Data.Common.DbDataReader" or "System.IO.TextReader")
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReadsLocal(IOperation? value, ILocalSymbol local)
    {
        if (value is IIncrementOrDecrementOperation or ICompoundAssignmentOperation)
        {
            return true;
        }

        if (value is null)
        {
            return false;
        }

        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }
}

internal readonly struct LocalDefinition
{
    public LocalDefinition(IOperation? value, IOperation site, bool isMutation)
    {
        Value = value;
        Site = site;
        IsMutation = isMutation;
    }

    /// <summary>The value stored (or, for a mutation, the whole mutating operation).</summary>
    public IOperation? Value { get; }

    public IOperation Site { get; }

    public bool IsMutation { get; }
}
