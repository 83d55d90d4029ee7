using System.Net.Sockets;
using Npgsql;

namespace LeadsApi.Persistence;

/// <summary>
/// Failures that say the database could not serve the request now, rather than that the request is wrong:
/// no connection within the bounded wait (pool exhausted, server down or refusing), a command cut off by its
/// timeout, or a server-side condition Npgsql classes as transient (too many clients, shutting down,
/// serialization failure). They answer 503 with Retry-After; nothing of the request was acknowledged.
/// </summary>
public static class DatabaseUnavailable
{
    public static bool Explains(Exception exception) => Cause(exception) is not null;

    /// <summary>A short reason for the log: the exception type and, for a server error, its SQLSTATE.</summary>
    public static string Reason(Exception exception) => Cause(exception) switch
    {
        PostgresException postgres => $"PostgreSQL {postgres.SqlState}",
        { } cause => cause.GetType().Name,
        null => exception.GetType().Name,
    };

    private static Exception? Cause(Exception exception)
    {
        // EF wraps provider errors (DbUpdateException, InvalidOperationException); the cause is further in.
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case NpgsqlException { IsTransient: true }:
                case TimeoutException:
                case SocketException:
                    return current;
            }
        }

        return null;
    }
}
