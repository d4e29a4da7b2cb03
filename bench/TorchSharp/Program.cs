using TorchSharp;
using static TorchSharp.torch;
torch.set_num_threads(2);
var a = torch.randn(4, 4);
Console.WriteLine((a.matmul(a)).sum().item<float>());
