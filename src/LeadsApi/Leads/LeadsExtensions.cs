using LeadsApi.Hosting;
using LeadsApi.Problems;
using Mediator;

namespace LeadsApi.Leads;

public static class LeadsExtensions
{
    public static IHostApplicationBuilder AddLeads(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<LeadsOptions>()
            .Bind(builder.Configuration.GetSection(LeadsOptions.Section))
            .Validate(o => o.ResponseWindow > TimeSpan.Zero && o.HotWindow > TimeSpan.Zero, "Leads:ResponseWindow and Leads:HotWindow must be positive.")
            .Validate(
                o => o.ExpirySweepInterval > TimeSpan.Zero && o.ExpirySweepInterval <= TimeSpan.FromDays(30) && o.ExpirySweepBatchSize > 0,
                "Leads:ExpirySweepInterval must be between 00:00:00.001 and 30.00:00:00, and Leads:ExpirySweepBatchSize positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<LeadPresenter>();
        builder.Services.AddScoped<LeadChanges>();
        builder.Services.AddSingleton<Events.OutboxWriter>();
        builder.AddWorker<ExpirySweep>($"{LeadsOptions.Section}:{nameof(LeadsOptions.ExpirySweepEnabled)}");

        builder.Services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
        return builder;
    }
}
