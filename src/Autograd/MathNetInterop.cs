using MathNet.Numerics.LinearAlgebra;

namespace Framework.Autograd;

// MathNet.Numerics interop: copies between tensors and MathNet's matrices and vectors.
public partial class Tensor
{
    /// <summary>A Float64 [rows, columns] tensor holding a copy of the matrix.</summary>
    public static Tensor From(Matrix<double> matrix, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int r = matrix.RowCount, c = matrix.ColumnCount;
        var data = new double[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) data[i * c + j] = matrix[i, j];
        return FromArray(data, [r, c], requiresGrad);
    }

    /// <summary>A Float32 [rows, columns] tensor holding a copy of the matrix.</summary>
    public static Tensor From(Matrix<float> matrix, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int r = matrix.RowCount, c = matrix.ColumnCount;
        var data = new float[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) data[i * c + j] = matrix[i, j];
        return FromArray(data, [r, c], requiresGrad);
    }

    /// <summary>A Float64 [n] tensor holding a copy of the vector.</summary>
    public static Tensor From(Vector<double> vector, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return From(vector.ToArray(), requiresGrad);
    }

    /// <summary>A Float32 [n] tensor holding a copy of the vector.</summary>
    public static Tensor From(Vector<float> vector, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return From(vector.ToArray(), requiresGrad);
    }

    /// <summary>A MathNet dense matrix copying this 2-d tensor, converted to double.</summary>
    public Matrix<double> ToMatrix()
    {
        if (Dim != 2)
            throw new InvalidOperationException($"ToMatrix() expects a 2-d tensor, but got a tensor of shape {ShapeUtil.Format(shape)} ({Dim}-d)");
        if (!DType.IsFloatingPoint())
            throw new InvalidOperationException($"ToMatrix() expects a floating point tensor, but got {DType.TorchName()} (shape {ShapeUtil.Format(shape)})");
        var data = Linalg.Doubles(this);
        int c = shape[1];
        return Matrix<double>.Build.Dense(shape[0], c, (i, j) => data[i * c + j]);
    }

    /// <summary>A MathNet dense vector copying this 1-d tensor, converted to double.</summary>
    public Vector<double> ToVector()
    {
        if (Dim != 1)
            throw new InvalidOperationException($"ToVector() expects a 1-d tensor, but got a tensor of shape {ShapeUtil.Format(shape)} ({Dim}-d)");
        if (!DType.IsFloatingPoint())
            throw new InvalidOperationException($"ToVector() expects a floating point tensor, but got {DType.TorchName()} (shape {ShapeUtil.Format(shape)})");
        return Vector<double>.Build.Dense(Linalg.Doubles(this));
    }
}
