using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace LeadsApi.Leads;

/// <summary>Keyset paging: order by a key and an id, and start after the last (key, id) of the previous page.</summary>
public static class KeysetPaging
{
    /// <summary>Orders by <paramref name="key"/> then <paramref name="id"/>, starting after <paramref name="after"/> when given.</summary>
    public static IQueryable<T> OrderByKeyset<T, TKey>(
        this IQueryable<T> source,
        Expression<Func<T, TKey>> key,
        Expression<Func<T, Guid>> id,
        bool descending,
        (TKey Key, Guid Id)? after)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(id);
        if (after is { } last)
        {
            source = source.Where(Beyond(key, id, last.Key, last.Id, descending));
        }

        return descending
            ? source.OrderByDescending(key).ThenByDescending(id)
            : source.OrderBy(key).ThenBy(id);
    }

    /// <summary>
    /// (key, id) &gt; (lastKey, lastId), or &lt; when descending, as one PostgreSQL row-value comparison: an index on
    /// (..., key, id) then starts the scan at the cursor instead of filtering rows before it.
    /// </summary>
    private static Expression<Func<T, bool>> Beyond<T, TKey>(
        Expression<Func<T, TKey>> key, Expression<Func<T, Guid>> id, TKey lastKey, Guid lastId, bool descending)
    {
        Expression<Func<TKey, Guid, bool>> beyond = descending
            ? (k, i) => EF.Functions.LessThan(ValueTuple.Create(k, i), ValueTuple.Create(lastKey, lastId))
            : (k, i) => EF.Functions.GreaterThan(ValueTuple.Create(k, i), ValueTuple.Create(lastKey, lastId));

        // Put the key and the id, read from one row, where the comparison has k and i.
        var row = key.Parameters[0];
        var idOfRow = ReplacingExpressionVisitor.Replace(id.Parameters[0], row, id.Body);
        var body = new ReplacingExpressionVisitor([beyond.Parameters[0], beyond.Parameters[1]], [key.Body, idOfRow]).Visit(beyond.Body);
        return Expression.Lambda<Func<T, bool>>(body, row);
    }
}
