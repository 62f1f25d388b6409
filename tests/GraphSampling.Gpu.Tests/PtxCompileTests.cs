using System;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using GraphSampling.Runtime.Gpu;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace GraphSampling.Gpu.Tests
{
    /// <summary>
    /// Every kernel of the GPU assembly compiled to PTX for sm_90 without a device, so that a kernel that would not
    /// compile for CUDA fails here rather than on the first GPU machine.
    /// </summary>
    public sealed class PtxCompileTests : IDisposable
    {
        private readonly Context _context = Context.Create(b => b.CPU(new CPUDevice(4, 16, 1)).EnableAlgorithms());
        private readonly PTXBackend _backend;

        public PtxCompileTests()
        {
            _backend = new PTXBackend(_context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_85, null);
        }

        public static TheoryData<string> Kernels() => new(KernelRegistry.All.Select(k => k.Name));

        [Theory]
        [MemberData(nameof(Kernels))]
        public void Kernel_CompilesToPtx(string name)
        {
            DeviceKernelInfo kernel = KernelRegistry.All.Single(k => k.Name == name);
            EntryPointDescription entry = kernel.Grouping == KernelGrouping.Explicit
                ? EntryPointDescription.FromExplicitlyGroupedKernel(kernel.Method)
                : EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method);
            var compiled = (PTXCompiledKernel)_backend.Compile(entry, KernelSpecialization.Empty);
            string ptx = compiled.PTXAssembly;
            Assert.False(string.IsNullOrWhiteSpace(ptx));
            Assert.Contains(".entry", ptx, StringComparison.Ordinal);
            // An unmapped .NET call (Math.FusedMultiplyAdd, for one) compiles to an ".extern .func" that only fails
            // when the driver links the module: reject it here.
            string[] externs = ptx.Split('\n').Where(l => l.Contains(".extern", StringComparison.Ordinal)).ToArray();
            Assert.True(externs.Length == 0, "unresolved device functions: " + string.Join("; ", externs));
        }

        [Fact]
        public void Registry_HoldsEveryKernelTheAssemblyLoads()
        {
            // The kernels the runtime loads, by name: a new one must be marked (KernelLoader refuses it otherwise),
            // and so appears in the registry and in the theory above. Discovery must find at least these.
            string[] expected =
            {
                "ElementwiseKernels.Binary",
                "ElementwiseKernels.Broadcast",
                "ElementwiseKernels.MaskPadding",
                "GatherKernels.GatherRows",
                "GatherKernels.GatherRowsOrPadding",
                "GemmKernels.Tiled",
                "HitKernels.ApplyHits",
                "LayoutKernels.CopyRowsFloat",
                "LossKernels.LabelWeights",
                "LossKernels.SoftmaxCrossEntropyWithLogitsGradient",
                "LossKernels.SparseSoftmaxCrossEntropyWithLogitsGradient",
                "OptimizerKernels.Adagrad",
                "OptimizerKernels.LazyAdam",
                "OptimizerKernels.Sgd",
                "PhiloxKernels.FillWords",
                "PhiloxKernels.StreamMix",
                "SamplerKernels.ClearMarks",
                "SamplerKernels.Draw",
                "SamplerKernels.ExpectedCounts",
                "SamplerKernels.Select",
                "ReduceKernels.LogSumExp",
                "ReduceKernels.ReduceTo",
                "SparseGradientKernels.AddRows",
                "SparseGradientKernels.BitonicStep",
                "SparseGradientKernels.Compact",
                "SparseGradientKernels.WriteKeys",
            };
            Assert.Superset(new System.Collections.Generic.HashSet<string>(expected), new System.Collections.Generic.HashSet<string>(KernelRegistry.All.Select(k => k.Name)));
            Assert.All(KernelRegistry.All, k => Assert.True(k.Method.IsStatic));
        }

        [Fact]
        public void SharedMemoryKernel_IsExplicitlyGrouped_AndDeclaresSharedMemory()
        {
            DeviceKernelInfo gemm = KernelRegistry.All.Single(k => k.Name == "GemmKernels.Tiled");
            Assert.Equal(KernelGrouping.Explicit, gemm.Grouping);
            var compiled = (PTXCompiledKernel)_backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(gemm.Method), KernelSpecialization.Empty);
            Assert.Contains(".shared", compiled.PTXAssembly, StringComparison.Ordinal);
            Assert.Contains("bar.sync", compiled.PTXAssembly, StringComparison.Ordinal);
        }

        [Fact]
        public void DeviceMath_UsesRoundedFmaAndMultiply_OnCuda()
        {
            DeviceKernelInfo draw = KernelRegistry.All.Single(k => k.Name == "SamplerKernels.Draw");
            var compiled = (PTXCompiledKernel)_backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(draw.Method), KernelSpecialization.Empty);
            Assert.Contains("fma.rn.f64", compiled.PTXAssembly, StringComparison.Ordinal);
            Assert.Contains("mul.rn.f64", compiled.PTXAssembly, StringComparison.Ordinal);
        }

        [Fact]
        public void OpKernels_UseIeeeDivisionAndSqrt_AndRoundedProducts_OnCuda()
        {
            // The op, loss and optimizer kernels must round as the CPU does: IEEE division and square root (never the
            // approximate forms), and no FMA written into the PTX itself. That alone does not stop ptxas from contracting
            // a bare mul.f32 with a following add.f32 into an FMA when it compiles the PTX to SASS; what does is that the
            // product is mul.rn.f32 (explicit rounding: never contracted), checked in the test below.
            string[] families = { "ElementwiseKernels.", "HitKernels.", "LayoutKernels.", "LossKernels.", "OptimizerKernels.", "ReduceKernels.", "SparseGradientKernels." };
            string[] approximate = { "div.approx", "div.full", "rcp.approx", "sqrt.approx", "ex2.approx", "lg2.approx", "fma.rn.f32" };
            foreach (DeviceKernelInfo kernel in KernelRegistry.All.Where(k => families.Any(f => k.Name.StartsWith(f, StringComparison.Ordinal))))
            {
                var compiled = (PTXCompiledKernel)_backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method), KernelSpecialization.Empty);
                string ptx = compiled.PTXAssembly;
                foreach (string op in approximate)
                {
                    Assert.False(ptx.Contains(op, StringComparison.Ordinal), kernel.Name + " uses " + op);
                }

                if (kernel.Name is "OptimizerKernels.Sgd" or "OptimizerKernels.Adagrad" or "OptimizerKernels.LazyAdam")
                {
                    Assert.Contains("mul.rn.f32", ptx, StringComparison.Ordinal);
                }
            }
        }

        [Fact]
        public void LossOptimizerAndLogSumExpGradientKernels_LeaveNoBareFloatMultiply()
        {
            // ptxas may fuse a bare mul.f32 (or mul.ftz.f32) with an add into an FMA that the CPU never performs; a
            // mul.rn.f32 (DeviceFloat.Mul) is never contracted. Every float product of these kernels must be the latter.
            var bare = new Regex(@"\bmul(\.ftz)?\.f32\b", RegexOptions.CultureInvariant);
            DeviceKernelInfo[] kernels = KernelRegistry.All
                .Where(k => k.Name.StartsWith("LossKernels.", StringComparison.Ordinal) || k.Name.StartsWith("OptimizerKernels.", StringComparison.Ordinal) || k.Name == "ReduceKernels.LogSumExpGradient")
                .ToArray();
            Assert.Contains(kernels, k => k.Name == "LossKernels.SoftmaxCrossEntropy");
            Assert.Contains(kernels, k => k.Name == "LossKernels.SigmoidCrossEntropy");
            Assert.Contains(kernels, k => k.Name == "OptimizerKernels.LazyAdam");
            var failures = new System.Collections.Generic.List<string>();
            foreach (DeviceKernelInfo kernel in kernels)
            {
                var compiled = (PTXCompiledKernel)_backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method), KernelSpecialization.Empty);
                string[] lines = compiled.PTXAssembly.Split('\n').Where(l => bare.IsMatch(l)).Select(l => l.Trim()).ToArray();
                if (lines.Length > 0)
                {
                    failures.Add(kernel.Name + ": " + string.Join("; ", lines));
                }
            }

            Assert.True(failures.Count == 0, "unrounded float products: " + string.Join(" | ", failures));
        }

        public void Dispose()
        {
            _backend.Dispose();
            _context.Dispose();
        }
    }
}
