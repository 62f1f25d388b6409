using System;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Programs
{
    /// <summary>
    /// A float vector that lives on the device, as a generated <c>GpuProgram</c> exposes a dense gradient: the device
    /// <see cref="View"/> (to feed other device code), or a copy on the host (<see cref="CopyTo"/>, <see cref="ToArray"/>).
    /// Valid until the program's next call overwrites it.
    /// </summary>
    public readonly struct DeviceVector
    {
        private readonly string _name;

        /// <summary>Wraps <paramref name="view"/>; <paramref name="name"/> names it in errors.</summary>
        public DeviceVector(ArrayView<float> view, string name)
        {
            View = view;
            _name = name;
        }

        /// <summary>The elements on the device.</summary>
        public ArrayView<float> View { get; }

        /// <summary>Number of elements.</summary>
        public int Length => (int)View.Length;

        /// <summary>Copies the elements into the start of <paramref name="destination"/> (waits for the device).</summary>
        public void CopyTo(Span<float> destination) => DeviceWorkspace.Download(View, destination, _name ?? "vector");

        /// <summary>A new host array with the elements (allocates: for tests and inspection).</summary>
        public float[] ToArray()
        {
            var result = new float[Length];
            CopyTo(result);
            return result;
        }
    }
}
