namespace AgentMark.Normalization.Pricing;

/// <summary>
/// A registry price in USD per 1,000 tokens (ingestion §4.2): the per-token price of <c>models.json</c>
/// × 1000, computed in doubles and never rounded (so <c>1.5e-05 × 1000</c> is <c>0.015000000000000001</c>).
/// This is also the body of <c>GET /v1/pricing</c>.
/// </summary>
public readonly record struct ModelPrice(double PromptPrice, double CompletionPrice);

/// <summary>
/// A project's own price for a model (<c>agentmark.json</c> <c>modelSchemas.&lt;id&gt;.cost</c>, ingestion
/// §4.5): cost = (InputCost × input tokens + OutputCost × output tokens) / UnitScale, where UnitScale is
/// the number of tokens a price applies to (1000, 1000000, ...).
/// </summary>
public sealed record CustomModelPrice
{
    public CustomModelPrice(double inputCost, double outputCost, double unitScale)
    {
        if (!double.IsFinite(inputCost) || inputCost < 0) throw new ArgumentOutOfRangeException(nameof(inputCost));
        if (!double.IsFinite(outputCost) || outputCost < 0) throw new ArgumentOutOfRangeException(nameof(outputCost));
        if (!double.IsFinite(unitScale) || unitScale <= 0) throw new ArgumentOutOfRangeException(nameof(unitScale));
        InputCost = inputCost;
        OutputCost = outputCost;
        UnitScale = unitScale;
    }

    public double InputCost { get; }
    public double OutputCost { get; }
    public double UnitScale { get; }
}
