using System;
using System.Runtime.Intrinsics;

namespace GraphSampling.Runtime.Cpu;

/// <summary>
/// An element-wise unary operation in the TensorPrimitives style: one scalar and three vector
/// overloads, so that <see cref="Kernels"/> can pick the widest accelerated width at JIT time.
/// </summary>
public interface IUnaryOperator
{
    /// <summary>When <see langword="false"/>, kernels call only the scalar overload.</summary>
    static abstract bool Vectorizable { get; }

    /// <summary>Applies the operation to one element.</summary>
    static abstract float Invoke(float x);

    /// <summary>Applies the operation lane-wise.</summary>
    static abstract Vector128<float> Invoke(Vector128<float> x);

    /// <summary>Applies the operation lane-wise.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x);

    /// <summary>Applies the operation lane-wise.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>An element-wise binary operation in the TensorPrimitives style.</summary>
public interface IBinaryOperator
{
    /// <summary>When <see langword="false"/>, kernels call only the scalar overload.</summary>
    static abstract bool Vectorizable { get; }

    /// <summary>Applies the operation to one pair of elements.</summary>
    static abstract float Invoke(float x, float y);

    /// <summary>Applies the operation lane-wise.</summary>
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    /// <summary>Applies the operation lane-wise.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    /// <summary>Applies the operation lane-wise.</summary>
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}

/// <summary><c>x + y</c>.</summary>
public readonly struct AddOperator : IBinaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x, float y) => x + y;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x + y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
}

/// <summary><c>x - y</c>.</summary>
public readonly struct SubtractOperator : IBinaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x, float y) => x - y;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x - y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x - y;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x - y;
}

/// <summary><c>x * y</c>.</summary>
public readonly struct MultiplyOperator : IBinaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x, float y) => x * y;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y;
}

/// <summary><c>x / y</c>.</summary>
public readonly struct DivideOperator : IBinaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x, float y) => x / y;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x / y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x / y;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x / y;
}

/// <summary><c>max(x, y)</c>, NaN propagating (as <see cref="MathF.Max(float, float)"/>).</summary>
public readonly struct MaxOperator : IBinaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x, float y) => MathF.Max(x, y);
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => Vector128.Max(x, y);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Max(x, y);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => Vector512.Max(x, y);
}

/// <summary><c>-x</c>.</summary>
public readonly struct NegateOperator : IUnaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x) => -x;
    public static Vector128<float> Invoke(Vector128<float> x) => -x;
    public static Vector256<float> Invoke(Vector256<float> x) => -x;
    public static Vector512<float> Invoke(Vector512<float> x) => -x;
}

/// <summary>
/// <c>e^x</c>. The vector overloads evaluate in double precision and round once to float
/// (see <see cref="VectorMath"/>), which keeps them within 1 ulp of <see cref="MathF.Exp"/>.
/// </summary>
public readonly struct ExpOperator : IUnaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x) => MathF.Exp(x);
    public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Exp(x);
    public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Exp(x);
    public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Exp(x);
}

/// <summary>
/// Natural logarithm. The vector overloads evaluate in double precision and round once to float
/// (see <see cref="VectorMath"/>), which keeps them within 1 ulp of <see cref="MathF.Log(float)"/>; the scalar overload
/// computes the same lanes, so every element of a buffer rounds alike whatever its position or the buffer's length.
/// </summary>
public readonly struct LogOperator : IUnaryOperator
{
    public static bool Vectorizable => true;
    public static float Invoke(float x) => VectorMath.Log(x);
    public static Vector128<float> Invoke(Vector128<float> x) => VectorMath.Log(x);
    public static Vector256<float> Invoke(Vector256<float> x) => VectorMath.Log(x);
    public static Vector512<float> Invoke(Vector512<float> x) => VectorMath.Log(x);
}
