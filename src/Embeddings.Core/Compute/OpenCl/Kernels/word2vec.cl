// word2vec with negative sampling on an OpenCL device: one work-group per sentence, work-items over dimensions.
//
// Compile-time constants (clBuildProgram -D): DIMS vector length, LOCAL work-group size (a power of two), NEG noise
// words per prediction, WINDOW largest reach, SHRINK draw reduced windows, CBOW_MEAN average the context,
// FIXED_NEGATIVES take the noise words from a buffer instead of drawing them (the tests' deterministic mode),
// ROW_UPDATES how shared rows are added to: 0 read-modify-write, 1 compare-and-swap, 2 PTX `red.add.f32` (NVIDIA).
//
// Work-item `lid` owns dimensions lid, lid + LOCAL, lid + 2·LOCAL, …: it alone reads and writes those columns of every
// row, so the only shared data are the dot products (reduced in local memory) and the window's target words. Work-groups
// update the global matrices without locks (Hogwild), as the CPU threads do.
//
// Randomness is counter-based: every draw is SplitMix64 of (seed, the sentence's position in the run, the draw's index),
// so a sentence gets the same draws whichever work-group trains it, and a resumed run needs no generator state.

#define NT (NEG + 1)
#define DPI ((DIMS + LOCAL - 1) / LOCAL)
#define MAX_EXP 6.0f
#define TABLE 1000
#define GOLDEN 0x9E3779B97F4A7C15UL

inline ulong mix64(ulong x)
{
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
    return x ^ (x >> 31);
}

inline ulong draw(ulong key, ulong counter) { return mix64(key + counter * GOLDEN); }

// *p = fma(g, x, *p). On a GPU thousands of work-groups are in flight and the frequent words' rows (the noise words
// above all) are updated by hundreds of them at once: a plain read-modify-write loses most of those updates and the
// vectors come out several analogy points worse (measured on an H200). Atomic additions lose none: NVIDIA's fire-and-
// forget reduction where the compiler takes PTX, else a compare-and-swap loop. Without contention the read-modify-write
// and the compare-and-swap compute the same value; the reduction rounds g·x before adding it.
inline void add_fma(__global float* p, float g, float x)
{
#if ROW_UPDATES == 2
    asm volatile("red.add.f32 [%0], %1;" :: "l"(p), "f"(g * x) : "memory");
#elif ROW_UPDATES == 1
    volatile __global uint* bits = (volatile __global uint*)p;
    uint seen = *bits;
    uint expected;
    do
    {
        expected = seen;
        seen = atomic_cmpxchg(bits, expected, as_uint(fma(g, x, as_float(expected))));
    } while (seen != expected);
#else
    *p = fma(g, x, *p);
#endif
}

// word2vec.c's tabulated sigmoid and log-sigmoid, the same tables and indexing as the CPU's NegativeSamplingKernels.
inline float sigmoid(float f, __global const float* tables)
{
    return f >= MAX_EXP ? 1.0f : f <= -MAX_EXP ? 0.0f : tables[(int)((f + MAX_EXP) * (TABLE / MAX_EXP / 2))];
}

inline float log_sigmoid(float f, __global const float* tables)
{
    __global const float* logs = tables + TABLE + 1;
    return f >= MAX_EXP ? 0.0f : f <= -MAX_EXP ? logs[0] : logs[(int)((f + MAX_EXP) * (TABLE / MAX_EXP / 2))];
}

// Vose's alias table, read as NoiseDistribution.Sample reads it: high 32 bits pick a column, low 24 bits decide.
inline int sample_noise(ulong bits, int vocabulary, __global const float* acceptance, __global const int* alias)
{
    int column = (int)(((bits >> 32) * (ulong)vocabulary) >> 32);
    float fraction = (float)(bits & 0xFFFFFF) / 16777216.0f;
    return fraction < acceptance[column] ? column : alias[column];
}

// The NT partial dot products in red[t·LOCAL + lid] become totals in red[t·LOCAL].
inline void reduce(__local float* red, int lid)
{
    for (int s = LOCAL / 2; s > 0; s >>= 1)
    {
        if (lid < s)
        {
            for (int t = 0; t < NT; t++)
            {
                red[t * LOCAL + lid] += red[t * LOCAL + lid + s];
            }
        }

        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

// The dot products of a work-group's vector (this work-item's dimensions in `v`) with the NT target rows: the totals
// land in red[t·LOCAL]; skipped targets (−1) get 0.
inline void dot_targets(const float* v, __global const float* output, __local const int* targets, __local float* red, int lid)
{
    for (int t = 0; t < NT; t++)
    {
        float partial = 0.0f;
        if (targets[t] >= 0)
        {
            const size_t target_row = (size_t)targets[t] * DIMS;
            for (int m = 0; m < DPI; m++)
            {
                const int dim = lid + m * LOCAL;
                partial = dim < DIMS ? fma(v[m], output[target_row + dim], partial) : partial;
            }
        }

        red[t * LOCAL + lid] = partial;
    }

    barrier(CLK_LOCAL_MEM_FENCE);
    reduce(red, lid);
}

// Subsampling by work-item 0: the kept ids of the sentence, in order, into kept[start …]; returns how many.
inline int subsample(
    __global const int* tokens, __global int* kept, int start, int length, ulong key, __global const float* keep, int lid, __local int* count)
{
    if (lid == 0)
    {
        int n = 0;
        for (int i = 0; i < length; i++)
        {
            int id = tokens[start + i];
            float p = keep[id];
            if (p >= 1.0f || p >= (float)(draw(key, (ulong)i) >> 40) / 16777216.0f)
            {
                kept[start + n++] = id;
            }
        }

        *count = n;
    }

    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
    return *count;
}

// The positive word then NEG noise words; a draw equal to the positive is marked −1 (skipped, as word2vec.c does).
inline void draw_targets(
    __local int* targets, int positive, ulong key, int centre, int vocabulary,
    __global const float* acceptance, __global const int* alias, __global const int* negatives, int lid)
{
    for (int t = lid; t < NT; t += LOCAL)
    {
        int word = positive;
        if (t > 0)
        {
#ifdef FIXED_NEGATIVES
            word = negatives[t - 1];
#else
            word = sample_noise(draw(key, ((ulong)centre << 8) | (ulong)t), vocabulary, acceptance, alias);
#endif
            word = word == positive ? -1 : word;
        }

        targets[t] = word;
    }

    barrier(CLK_LOCAL_MEM_FENCE);
}

inline int draw_reach(ulong key, int centre)
{
#if SHRINK
    return WINDOW - (int)(draw(key, (ulong)centre << 8) % (ulong)WINDOW);
#else
    return WINDOW;
#endif
}

// One negative-sampling prediction, the same for skip-gram and CBOW: the input vector x (this work-item's dimensions)
// against the centre word and the noise words in targets. Work-item 0 adds the loss and counts the predictions; every
// work-item sums its input error in error. Each output row's gradient g·x goes into gradient[t·DPI + m] when one is
// given (skip-gram, which applies the window's sum once at its end), otherwise straight into the row (CBOW).
inline void predict_targets(
    const float* x, float* error, float* gradient, __global float* output, __local const int* targets, __local float* red,
    float alpha, __global const float* tables, int lid, float* loss, int* predictions)
{
    dot_targets(x, output, targets, red, lid);
    for (int t = 0; t < NT; t++)
    {
        if (targets[t] < 0)
        {
            continue;
        }

        const float f = red[t * LOCAL];
        const float g = ((t == 0 ? 1.0f : 0.0f) - sigmoid(f, tables)) * alpha;
        if (lid == 0)
        {
            *loss -= log_sigmoid(t == 0 ? f : -f, tables);
            (*predictions)++;
        }

        const size_t target_row = (size_t)targets[t] * DIMS;
        for (int m = 0; m < DPI; m++)
        {
            const int dim = lid + m * LOCAL;
            if (dim < DIMS)
            {
                const float old = output[target_row + dim];
                error[m] = fma(g, old, error[m]);
                if (gradient)
                {
                    gradient[t * DPI + m] = fma(g, x[m], gradient[t * DPI + m]);
                }
                else
                {
#if ROW_UPDATES
                    add_fma(output + target_row + dim, g, x[m]);
#else
                    output[target_row + dim] = fma(g, x[m], old);
#endif
                }
            }
        }
    }
}

#define KERNEL_ARGUMENTS \
    __global float* input, __global float* output, \
    __global const int* tokens, __global const int* starts, __global int* kept, \
    __global const float* keep, __global const float* acceptance, __global const int* alias, \
    __global const float* tables, __global const int* negatives, \
    __global float* loss_out, __global int* predictions_out, \
    ulong seed, long words_before, long planned_words, float learning_rate, float min_learning_rate, int vocabulary

// The per-sentence prologue shared by both kernels: bounds, learning rate, keys, subsampling.
#define SENTENCE_PROLOGUE \
    const int lid = (int)get_local_id(0); \
    const int sentence = (int)get_group_id(0); \
    const int start = starts[sentence]; \
    const long position = words_before + start; \
    const float fraction = min(1.0f, (float)position / (float)max(planned_words, 1L)); \
    const float alpha = learning_rate - (learning_rate - min_learning_rate) * fraction; \
    const ulong sentence_key = mix64(seed ^ mix64((ulong)position)); \
    const ulong window_key = sentence_key ^ 0xD1B54A32D192ED03UL; \
    __local float red[NT * LOCAL]; \
    __local int targets[NT]; \
    __local int kept_count; \
    const int n = subsample(tokens, kept, start, starts[sentence + 1] - start, sentence_key, keep, lid, &kept_count); \
    float loss = 0.0f; \
    int predictions = 0;

#define SENTENCE_EPILOGUE \
    if (lid == 0) \
    { \
        loss_out[sentence] = loss; \
        predictions_out[sentence] = predictions; \
    }

// Skip-gram with the noise words drawn once per centre and shared by its window (the CPU's default): each context's
// input vector predicts the centre and the shared noise words; the output rows' gradients are summed over the window in
// registers and applied once at its end.
__kernel __attribute__((reqd_work_group_size(LOCAL, 1, 1)))
void skip_gram(KERNEL_ARGUMENTS)
{
    SENTENCE_PROLOGUE
    for (int j = 0; j < n; j++)
    {
        const int reach = draw_reach(window_key, j);
        const int first = max(0, j - reach);
        const int last = min(n - 1, j + reach);
        if (first == last)
        {
            continue;
        }

        draw_targets(targets, kept[start + j], window_key, j, vocabulary, acceptance, alias, negatives, lid);
        float gradient[NT * DPI];
        for (int i = 0; i < NT * DPI; i++)
        {
            gradient[i] = 0.0f;
        }

        for (int c = first; c <= last; c++)
        {
            if (c == j)
            {
                continue;
            }

            const size_t row = (size_t)kept[start + c] * DIMS;
            float context[DPI];
            float error[DPI];
            for (int m = 0; m < DPI; m++)
            {
                const int dim = lid + m * LOCAL;
                context[m] = dim < DIMS ? input[row + dim] : 0.0f;
                error[m] = 0.0f;
            }

            predict_targets(context, error, gradient, output, targets, red, alpha, tables, lid, &loss, &predictions);

            barrier(CLK_LOCAL_MEM_FENCE);
            for (int m = 0; m < DPI; m++)
            {
                const int dim = lid + m * LOCAL;
                if (dim < DIMS)
                {
#if ROW_UPDATES
                    add_fma(input + row + dim, 1.0f, error[m]);
#else
                    input[row + dim] = context[m] + error[m];
#endif
                }
            }
        }

        for (int t = 0; t < NT; t++)
        {
            if (targets[t] >= 0)
            {
                const size_t target_row = (size_t)targets[t] * DIMS;
                for (int m = 0; m < DPI; m++)
                {
                    const int dim = lid + m * LOCAL;
                    if (dim < DIMS)
                    {
                        add_fma(output + target_row + dim, 1.0f, gradient[t * DPI + m]);
                    }
                }
            }
        }

        barrier(CLK_LOCAL_MEM_FENCE);
    }

    SENTENCE_EPILOGUE
}

// CBOW: the mean (or sum) of the window's input vectors predicts the centre and NEG noise words; each output row is
// updated as soon as its gradient is known, and the input error is added to every context row.
__kernel __attribute__((reqd_work_group_size(LOCAL, 1, 1)))
void cbow(KERNEL_ARGUMENTS)
{
    SENTENCE_PROLOGUE
    for (int j = 0; j < n; j++)
    {
        const int reach = draw_reach(window_key, j);
        const int first = max(0, j - reach);
        const int last = min(n - 1, j + reach);
        const int count = last - first;
        if (count == 0)
        {
            continue;
        }

        draw_targets(targets, kept[start + j], window_key, j, vocabulary, acceptance, alias, negatives, lid);
        float hidden[DPI];
        float error[DPI];
        for (int m = 0; m < DPI; m++)
        {
            hidden[m] = 0.0f;
            error[m] = 0.0f;
        }

        for (int c = first; c <= last; c++)
        {
            if (c != j)
            {
                const size_t row = (size_t)kept[start + c] * DIMS;
                for (int m = 0; m < DPI; m++)
                {
                    const int dim = lid + m * LOCAL;
                    hidden[m] += dim < DIMS ? input[row + dim] : 0.0f;
                }
            }
        }

#if CBOW_MEAN
        for (int m = 0; m < DPI; m++)
        {
            hidden[m] *= 1.0f / count;
        }
#endif

        predict_targets(hidden, error, 0, output, targets, red, alpha, tables, lid, &loss, &predictions);

#if !CBOW_MEAN
        for (int m = 0; m < DPI; m++)
        {
            error[m] *= 1.0f / count;
        }
#endif

        for (int c = first; c <= last; c++)
        {
            if (c != j)
            {
                const size_t row = (size_t)kept[start + c] * DIMS;
                for (int m = 0; m < DPI; m++)
                {
                    const int dim = lid + m * LOCAL;
                    if (dim < DIMS)
                    {
                        add_fma(input + row + dim, 1.0f, error[m]);
                    }
                }
            }
        }

        barrier(CLK_LOCAL_MEM_FENCE);
    }

    SENTENCE_EPILOGUE
}
