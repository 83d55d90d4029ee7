using System.Linq.Expressions;

namespace LeadsApi.Domain;

/// <summary>
/// Binds and joins predicate expressions, so a rule written once can be combined with others and still be
/// translated to SQL by a query provider.
/// </summary>
public static class PredicateComposition
{
    /// <summary>The rule with its second argument fixed to <paramref name="value"/>.</summary>
    public static Expression<Func<T, bool>> Bind<T, TArg>(this Expression<Func<T, TArg, bool>> rule, TArg value)
    {
        ArgumentNullException.ThrowIfNull(rule);
        // Read through the compiler's own closure, as in a lambda written inline: a query sends it as a parameter, not a literal.
        Expression<Func<TArg>> captured = () => value;
        return Expression.Lambda<Func<T, bool>>(Substitute(rule.Body, rule.Parameters[1], captured.Body), rule.Parameters[0]);
    }

    public static Expression<Func<T, bool>> And<T>(this Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Join(left, right, Expression.AndAlso);

    public static Expression<Func<T, bool>> Or<T>(this Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Join(left, right, Expression.OrElse);

    public static Expression<Func<T, bool>> Not<T>(this Expression<Func<T, bool>> rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Expression.Lambda<Func<T, bool>>(Expression.Not(rule.Body), rule.Parameters);
    }

    /// <summary>The result of the first case whose predicate holds, else <paramref name="otherwise"/> (a CASE in SQL).</summary>
    public static Expression<Func<T, TResult>> FirstMatch<T, TResult>(IEnumerable<(Expression<Func<T, bool>> When, TResult Then)> cases, TResult otherwise)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var item = Expression.Parameter(typeof(T), "item");
        Expression result = Expression.Constant(otherwise, typeof(TResult));
        foreach (var (when, then) in cases.Reverse())
        {
            result = Expression.Condition(Substitute(when.Body, when.Parameters[0], item), Expression.Constant(then, typeof(TResult)), result);
        }

        return Expression.Lambda<Func<T, TResult>>(result, item);
    }

    private static Expression<Func<T, bool>> Join<T>(
        Expression<Func<T, bool>> left, Expression<Func<T, bool>> right, Func<Expression, Expression, BinaryExpression> join)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Expression.Lambda<Func<T, bool>>(join(left.Body, Substitute(right.Body, right.Parameters[0], left.Parameters[0])), left.Parameters);
    }

    private static Expression Substitute(Expression body, ParameterExpression parameter, Expression replacement) =>
        new Substitution(parameter, replacement).Visit(body);

    private sealed class Substitution(ParameterExpression parameter, Expression replacement) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? replacement : node;
    }
}
