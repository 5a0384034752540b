using Embeddings.Core.Vectors;

namespace Embeddings.Quantization.Tests;

public class BalancedRotationTests
{
    [Fact]
    public void SymmetricEigen_RebuildsTheMatrix()
    {
        var random = new Random(3);
        const int D = 7;
        var b = new double[D * D];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = random.NextDouble() - 0.5;
        }

        var a = new double[D * D]; // BᵀB: symmetric
        for (int i = 0; i < D; i++)
        {
            for (int j = 0; j < D; j++)
            {
                for (int k = 0; k < D; k++)
                {
                    a[(i * D) + j] += b[(k * D) + i] * b[(k * D) + j];
                }
            }
        }

        (double[] values, double[] vectors) = BalancedRotation.SymmetricEigen(a, D);

        for (int i = 0; i < D; i++)
        {
            for (int j = 0; j < D; j++)
            {
                double rebuilt = 0;
                for (int k = 0; k < D; k++)
                {
                    rebuilt += vectors[(i * D) + k] * values[k] * vectors[(j * D) + k];
                }

                rebuilt.Should().BeApproximately(a[(i * D) + j], 1e-10);
            }
        }
    }

    [Fact]
    public void Create_IsOrthogonal_AndRotateBackUndoesRotate()
    {
        using WordVectors vectors = CompressionTests.Structured();
        float[] rotation = BalancedRotation.Create(vectors.Matrix, 16, [0, 4, 8, 12, 16]);
        var y = new float[16];
        var back = new float[16];

        for (int i = 0; i < 16; i++)
        {
            for (int j = 0; j < 16; j++)
            {
                float dot = System.Numerics.Tensors.TensorPrimitives.Dot(rotation.AsSpan(i * 16, 16), rotation.AsSpan(j * 16, 16));
                dot.Should().BeApproximately(i == j ? 1f : 0f, 1e-5f);
            }
        }

        BalancedRotation.Rotate(rotation, vectors.GetVector(5), y);
        BalancedRotation.RotateBack(rotation, y, back);
        back.Should().Equal(vectors.GetVector(5).ToArray(), (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void ProductQuantization_WithTheRotation_CodesLowRankVectorsBetter()
    {
        // The vectors vary along 4 directions: unrotated, some subspaces carry none of them; rotated, each gets one.
        using WordVectors vectors = CompressionTests.Structured();
        CompressionTrainer Trainer(bool rotate) =>
            Compression.CreateBuilder().Method(CompressionMethod.ProductQuantization).Bits(32).Threads(1).BalancedRotation(rotate).Build();

        double rotated = Trainer(true).Train(vectors).ReconstructionError;
        double plain = Trainer(false).Train(vectors).ReconstructionError;

        rotated.Should().BeLessThan(plain);
    }
}
