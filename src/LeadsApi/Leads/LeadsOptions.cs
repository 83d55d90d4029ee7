using LeadsApi.Domain.Leads;

namespace LeadsApi.Leads;

/// <summary>The <c>Leads</c> configuration section.</summary>
public sealed class LeadsOptions
{
    public const string Section = "Leads";

    /// <summary>How long a partner has to answer a received lead before it expires.</summary>
    public TimeSpan ResponseWindow { get; set; } = LeadWindows.Default.ResponseWindow;

    /// <summary>How long after it arrives a lead whose customer asked for contact counts as hot.</summary>
    public TimeSpan HotWindow { get; set; } = LeadWindows.Default.HotWindow;

    /// <summary>Whether this instance runs the background sweep; any number of instances may.</summary>
    public bool ExpirySweepEnabled { get; set; } = true;

    /// <summary>How often the background sweep writes down expired leads.</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many leads one sweep transaction claims at most.</summary>
    public int ExpirySweepBatchSize { get; set; } = 1000;

    public LeadWindows Windows => new(ResponseWindow, HotWindow);
}
