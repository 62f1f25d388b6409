using GraphSampling.Runtime.Cpu;
using ILGPU;

namespace GraphSampling.Runtime.Gpu.Ops
{
    /// <summary>
    /// One operand of a [rows, cols] elementwise op on the device, laid out as the CPU's
    /// <see cref="FusedOperand"/>: <see cref="OperandLayout.Full"/> (row i at i · <see cref="Stride"/>),
    /// <see cref="OperandLayout.Row"/> (one vector of cols broadcast over the rows), <see cref="OperandLayout.Column"/>
    /// (one value per row) or <see cref="OperandLayout.Scalar"/>.
    /// </summary>
    public readonly struct DeviceOperand
    {
        /// <summary>An operand with its data, layout and (for Full) row stride.</summary>
        public DeviceOperand(ArrayView<float> data, OperandLayout layout, int stride = 0)
        {
            Data = data;
            Layout = layout;
            Stride = stride;
        }

        /// <summary>The operand's elements on the device.</summary>
        public ArrayView<float> Data { get; }

        /// <summary>How the operand lines up with the output.</summary>
        public OperandLayout Layout { get; }

        /// <summary>Distance between rows for <see cref="OperandLayout.Full"/>.</summary>
        public int Stride { get; }

        /// <summary>One element per output element, rows <paramref name="stride"/> apart.</summary>
        public static DeviceOperand Full(ArrayView<float> data, int stride) => new(data, OperandLayout.Full, stride);

        /// <summary>One element per column, shared by every row.</summary>
        public static DeviceOperand Row(ArrayView<float> data) => new(data, OperandLayout.Row);

        /// <summary>One element per row, shared by every column.</summary>
        public static DeviceOperand Column(ArrayView<float> data) => new(data, OperandLayout.Column);

        /// <summary>One element for everything.</summary>
        public static DeviceOperand Scalar(ArrayView<float> data) => new(data, OperandLayout.Scalar);

        /// <summary>Elements the layout reads for a [rows, cols] output.</summary>
        internal long Needed(int rows, int cols) => Layout switch
        {
            OperandLayout.Full => ((long)(rows - 1) * Stride) + cols,
            OperandLayout.Row => cols,
            OperandLayout.Column => rows,
            _ => 1,
        };
    }
}
