namespace EdgeGateway.Evaluation.Panel;

/// <summary>The outcomes the evaluation estimates effects on, each recomputed per cell and week from day sums.</summary>
public enum Outcome
{
    /// <summary>Σ good × ideal cycle / Σ PBT.</summary>
    Oee,

    /// <summary>Σ run / Σ PBT.</summary>
    Availability,

    /// <summary>Σ produced × ideal cycle / Σ run (ISO 22400 "effectiveness", performance).</summary>
    Effectiveness,

    /// <summary>Σ good / Σ produced.</summary>
    Quality,

    /// <summary>Σ good / (Σ PBT / 3600).</summary>
    GoodPartsPerPlannedHour,

    /// <summary>Σ kWh / Σ good.</summary>
    KwhPerGoodPart,

    /// <summary>Σ unattended good per 7 days of the week's days with data.</summary>
    UnattendedGoodPerWeek,

    /// <summary>Σ good × ideal cycle / Σ calendar time of the windows (total effective equipment performance).</summary>
    Teep,

    /// <summary>Σ scrap / Σ produced.</summary>
    ScrapRatio,
}
