namespace LeadsApi.Domain.Partners;

/// <summary>How a partner earns from the work it takes on; a closed list, so matching compares like with like.</summary>
public enum BusinessModel
{
    /// <summary>Fixed-scope projects: migrations, implementations, roll-outs.</summary>
    ProjectServices,
    /// <summary>Running the customer's systems for a recurring fee.</summary>
    ManagedServices,
    /// <summary>Reselling licences and subscriptions.</summary>
    Licensing,
    /// <summary>Its own software product or add-on.</summary>
    Software,
    /// <summary>Advice and assessments, billed by the day.</summary>
    Consulting,
    /// <summary>Courses and workshops.</summary>
    Training,
}
