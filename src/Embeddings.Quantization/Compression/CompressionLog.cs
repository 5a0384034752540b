using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>The log messages of the autoencoders and of compression (Quantization event ids 3040–3049).</summary>
internal static partial class CompressionLog
{
    [LoggerMessage(EventId = 3040, Level = LogLevel.Information, Message = "autoencoder started: {Vectors} vectors x {Dimensions} dimensions, code of {Code} (binary {Binary})")]
    public static partial void AutoencoderStarted(ILogger logger, int vectors, int dimensions, int code, bool binary);

    [LoggerMessage(EventId = 3041, Level = LogLevel.Debug, Message = "autoencoder epoch {Epoch}: training loss {TrainingLoss:G5}, held-out loss {ValidationLoss:G5}")]
    public static partial void AutoencoderEpoch(ILogger logger, int epoch, double trainingLoss, double validationLoss);

    [LoggerMessage(EventId = 3042, Level = LogLevel.Information, Message = "autoencoder finished in {Seconds:F2} s")]
    public static partial void AutoencoderFinished(ILogger logger, double seconds);

    [LoggerMessage(EventId = 3043, Level = LogLevel.Information, Message = "compression started: {Method}, {Bits} bits a word, {Vectors} vectors x {Dimensions} dimensions")]
    public static partial void CompressionStarted(ILogger logger, CompressionMethod method, int bits, int vectors, int dimensions);

    [LoggerMessage(EventId = 3044, Level = LogLevel.Information, Message = "compression finished: {BytesPerVector:F2} bytes a vector, reconstruction MSE {Mse:G4}, in {Seconds:F2} s")]
    public static partial void CompressionFinished(ILogger logger, double bytesPerVector, double mse, double seconds);
}
