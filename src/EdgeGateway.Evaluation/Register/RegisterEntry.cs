namespace EdgeGateway.Evaluation.Register;

/// <summary>
/// One cell of the programme register (src/docs/evaluation.md, "Programme register"). A treated cell got a voucher and went
/// live on <see cref="GoLive"/> (a site-local date); a never-treated cell (<see cref="Treated"/> false, no go-live)
/// is a control. Ids are pseudonymous, as the KPI records carry them.
/// </summary>
public sealed record RegisterEntry(
    string Site,
    string Cell,
    bool Treated,
    DateOnly? GoLive,
    int RampUpDays,
    string? Sector,
    string? SizeClass);
