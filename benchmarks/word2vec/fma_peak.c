// The machine's measured FMA peak: ten independent chains of 8-float AVX2 FMAs per thread (enough to fill two FMA
// pipes of latency 4), timed on 1..N threads. Used by benchmarks/word2vec/scaling.sh to put the trainer's FLOP rate
// beside what the cores actually deliver (on a shared VM, less than the data sheet's clock suggests).
// gcc -O2 -mavx2 -mfma -pthread fma_peak.c -o fma_peak && ./fma_peak 2
#include <stdlib.h>
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
#include <pthread.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void* run(void* arg){
  __m256 a[10]; __m256 b=_mm256_set1_ps(0.999999f), c=_mm256_set1_ps(1e-7f);
  for(int i=0;i<10;i++) a[i]=_mm256_set1_ps(i);
  long n=(long)arg;
  for(long k=0;k<n;k++){ for(int i=0;i<10;i++) a[i]=_mm256_fmadd_ps(a[i],b,c); }
  float s=0; for(int i=0;i<10;i++){float t[8];_mm256_storeu_ps(t,a[i]);s+=t[0];}
  return (void*)(long)(s>1e30);
}
int main(int argc,char**argv){
  int threads=argc>1?atoi(argv[1]):1; long n=400000000L;
  pthread_t th[16]; double t0=now();
  for(int i=0;i<threads;i++) pthread_create(&th[i],0,run,(void*)n);
  for(int i=0;i<threads;i++) pthread_join(th[i],0);
  double s=now()-t0; printf("%d threads: %.1f GFLOP/s\n",threads, threads*n*10.0*8*2/s/1e9);
}
