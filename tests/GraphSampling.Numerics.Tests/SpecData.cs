namespace GraphSampling.Numerics.Tests;

/// <summary>The data of spec 13's reference values (B = 2, D = 3, C = 5), shared by every test that checks them.</summary>
internal static class SpecData
{
    public static readonly float[] X = { 0.1f, -0.2f, 0.3f, 0.4f, 0.0f, -0.5f };
    public static readonly float[] W = { 0.2f, -0.1f, 0.4f, -0.3f, 0.5f, 0.1f, 0.6f, 0.2f, -0.2f, -0.1f, -0.4f, 0.3f, 0.05f, 0.3f, -0.6f };
    public static readonly float[] Bias = { 0.01f, -0.02f, 0.03f, -0.04f, 0.05f };
}
