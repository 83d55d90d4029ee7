using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Identity;

public sealed record OnboardPartner(Caller Caller, OnboardPartnerRequest Body) : ICommand<OnboardedPartner>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

public sealed record OnboardSender(Caller Caller, OnboardSenderRequest Body) : ICommand<OnboardedSender>, IValidatable
{
    public void Validate(ValidationErrors errors) => Body.Validate(errors);
}

/// <summary>Partners and senders, onboarded by a platform admin over HTTP as an operator does at the command line.</summary>
public sealed class Onboarding(ApiKeyIssuer issuer) : ICommandHandler<OnboardPartner, OnboardedPartner>, ICommandHandler<OnboardSender, OnboardedSender>
{
    public async ValueTask<OnboardedPartner> Handle(OnboardPartner command, CancellationToken cancellationToken)
    {
        var (partner, key) = await issuer.CreatePartnerAsync(command.Body.Name!.Trim(), KeyCreator.Of(command.Caller), cancellationToken);
        return new OnboardedPartner(partner.Id, partner.Name, partner.CreatedAt, ApiKeyResponse.From(key));
    }

    public async ValueTask<OnboardedSender> Handle(OnboardSender command, CancellationToken cancellationToken)
    {
        var (sender, key) = await issuer.CreateSenderAsync(command.Body.Name!.Trim(), command.Body.Kind!.Value, KeyCreator.Of(command.Caller), cancellationToken);
        return new OnboardedSender(sender.Id, sender.Name, sender.Kind, sender.CreatedAt, ApiKeyResponse.From(key));
    }
}
