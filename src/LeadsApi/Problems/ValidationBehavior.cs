using Mediator;

namespace LeadsApi.Problems;

/// <summary>Checks the shape of every <see cref="IValidatable"/> message before its handler runs.</summary>
public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (message is IValidatable validatable)
        {
            var errors = new ValidationErrors();
            validatable.Validate(errors);
            if (!errors.IsEmpty)
            {
                throw new RequestValidationException(errors.ToDictionary());
            }
        }

        return next(message, cancellationToken);
    }
}
