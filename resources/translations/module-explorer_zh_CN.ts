<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EntryText</name>
    <message>
        <source>parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>buffer</source>
        <translation>缓冲</translation>
    </message>
    <message>
        <source>non-persistent buffer</source>
        <translation>非持久缓冲</translation>
    </message>
    <message>
        <source>attribute · not in state_dict</source>
        <translation>属性 · 不在 state_dict 中</translation>
    </message>
    <message>
        <source>Registered as None: the name is kept, but state_dict(), parameters() and buffers() skip it.</source>
        <translation>登记注册为 None：名字保留，但 state_dict()、parameters() 和 buffers() 都会跳过它。</translation>
    </message>
    <message>
        <source>Parameter: registered as nn.Parameter, so state_dict(), parameters() and named_parameters() include it and an optimizer trains it.</source>
        <translation>参数 Parameter：以 nn.Parameter 登记注册，所以 state_dict()、parameters() 和 named_parameters() 都包含它，优化器会训练它。</translation>
    </message>
    <message>
        <source>Persistent buffer: registered with register_buffer, so state_dict() saves it and buffers() lists it; it is not trained.</source>
        <translation>持久缓冲 buffer：用 register_buffer 登记注册，所以 state_dict() 会保存它，buffers() 会列出它；它不参与训练优化。</translation>
    </message>
    <message>
        <source>Non-persistent buffer: register_buffer(..., persistent=False), so buffers() lists it and .to() moves it, but state_dict() leaves it out.</source>
        <translation>非持久缓冲 buffer：register_buffer(..., persistent=False)，所以 buffers() 会列出它，.to() 会移动它，但 state_dict() 不包含它。</translation>
    </message>
    <message>
        <source>Plain tensor attribute: not registered, so state_dict(), buffers() and .to() ignore it.</source>
        <translation>普通张量属性：没有登记注册，所以 state_dict()、buffers() 和 .to() 都不理会它。</translation>
    </message>
    <message>
        <source>not in state_dict (None)</source>
        <translation>不在 state_dict 中（None）</translation>
    </message>
    <message>
        <source>not in state_dict (persistent=False)</source>
        <translation>不在 state_dict 中（persistent=False）</translation>
    </message>
    <message>
        <source>not in state_dict (plain attribute)</source>
        <translation>不在 state_dict 中（普通属性）</translation>
    </message>
    <message>
        <source>The model: state_dict() lists its own parameters and persistent buffers first, then each submodule&apos;s, in registration order.</source>
        <translation>整个模型：state_dict() 先按登记注册的顺序列出模型自己的参数和持久缓冲，再依次列出每个子模块的。</translation>
    </message>
    <message>
        <source>Submodule: its parameters and persistent buffers appear in state_dict() under the prefix &apos;%1.&apos;.</source>
        <translation>子模块：它的参数和持久缓冲以前缀 &apos;%1.&apos; 出现在 state_dict() 中。</translation>
    </message>
    <message>
        <source>Shared with %2: &apos;%1&apos; is the same module object as &apos;%2&apos; (registered under both names). An edit through either name shows under both; state_dict() lists its entries under each name, while named_modules(), parameters() and named_parameters() list it once, as &apos;%2&apos;.</source>
        <translation>与 %2 共享：&apos;%1&apos; 和 &apos;%2&apos; 是同一个模块对象（以两个名字登记注册）。通过任一名字所做的修改在两处都能看到；state_dict() 在每个名字下都列出它的条目，而 named_modules()、parameters() 和 named_parameters() 只以 &apos;%2&apos; 列出一次。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Registered submodules that forward never calls</source>
        <translation>forward 从未调用的已注册子模块</translation>
    </message>
    <message>
        <source>%1: double-click to collapse</source>
        <translation>%1：双击折叠</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: the graph would be %2x%3 pixels, more than %4 a side; export SVG or PDF, give a smaller size or collapse containers</source>
        <translation>无法写入 &apos;%1&apos;：图将有 %2x%3 像素，单边超过 %4；请导出 SVG 或 PDF、指定更小的尺寸或折叠容器</translation>
    </message>
    <message>
        <source>Forward graph</source>
        <translation>forward 数据流图</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: unknown format (expected .png, .svg or .pdf)</source>
        <translation>无法写入 &apos;%1&apos;：未知格式（应为 .png、.svg 或 .pdf）</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>dtype</translation>
    </message>
    <message>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>numel</source>
        <translation>numel</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>values</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>none: the tensor is empty (numel 0)</source>
        <translation>无：张量为空（numel 0）</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>L2 norm</source>
        <translation>L2 范数</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>零的个数</translation>
    </message>
    <message>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <source>+Inf</source>
        <translation>+Inf</translation>
    </message>
    <message>
        <source>−Inf</source>
        <translation>−Inf</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is pinned: select a tensor of its shape and dtype to compare</source>
        <translation>已固定 &apos;%1&apos;：选择一个形状和 dtype 相同的张量来比较</translation>
    </message>
</context>
<context>
    <name>Tutorial</name>
    <message>
        <source>Experiment 1 · Model A: state_dict()</source>
        <translation>实验 1 · 模型 A：测试模型 state_dict() 方法</translation>
    </message>
    <message>
        <source>Experiment 2 · Model B: after initialisation, before the model is modified</source>
        <translation>实验 2 · 模型 B：初始化之后模型修改之前</translation>
    </message>
    <message>
        <source>Experiment 2 · Model B: after initialisation and modification</source>
        <translation>实验 2 · 模型 B：模型初始化以及修改之后</translation>
    </message>
    <message>
        <source>Returns a dictionary containing a whole state of the module. Both parameters and persistent buffers (e.g. running averages) are included. Keys are corresponding parameter and buffer names.</source>
        <translation>返回一个字典，该字典包含了模型的整个状态。该字典中包含了参数和持续性缓冲 persistent buffers（比如：运行平均 running averages）。字典的关键字 key 是参数和缓冲的名字。</translation>
    </message>
    <message>
        <source>The tutorial&apos;s Model is open as `model`. forward() uses conv1 and dense; layer4cxq1 to layer4cxq5 are never called; attribute4cxq, attribute4lzq, attribute4hh and attribute4wyf are nn.Parameter attributes.</source>
        <translation>教程中的 Model 已作为 `model` 打开。forward() 使用 conv1 和 dense；layer4cxq1 到 layer4cxq5 从未被调用；attribute4cxq、attribute4lzq、attribute4hh 和 attribute4wyf 是 nn.Parameter 属性。</translation>
    </message>
    <message>
        <source>state_dict() returns an OrderedDict: its keys keep the order in which the module registered its parameters and buffers.</source>
        <translation>state_dict() 返回一个 OrderedDict：它的键保持模块登记注册参数和缓冲时的顺序。</translation>
    </message>
    <message>
        <source>16 keys, in this order: the model&apos;s own parameters first (attribute4cxq, attribute4lzq, attribute4hh, attribute4wyf, as registered), then each child&apos;s keys, child by child: conv1, dense, layer4cxq1, layer4cxq4.</source>
        <translation>共 16 个键，顺序如下：先是模型自己的参数（attribute4cxq、attribute4lzq、attribute4hh、attribute4wyf，按登记注册顺序），再逐个列出每个子模块的键：conv1、dense、layer4cxq1、layer4cxq4。</translation>
    </message>
    <message>
        <source>layer4cxq1 is never called by forward(), yet its weight and bias are in state_dict: state_dict() lists what is registered, not what forward() uses. The same holds for layer4cxq4.</source>
        <translation>forward() 从未调用 layer4cxq1，但它的 weight 和 bias 仍在 state_dict 中：state_dict() 列出的是登记注册过的东西，而不是 forward() 用到的东西。layer4cxq4 也是如此。</translation>
    </message>
    <message>
        <source>An nn.Parameter assigned to a module attribute is registered as a parameter: attribute4cxq is a 0-dimensional tensor holding the seed 20200910, so its key has shape torch.Size([]).</source>
        <translation>赋值给模块属性的 nn.Parameter 会被登记注册为参数：attribute4cxq 是存放种子 20200910 的 0 维张量，所以它的键形状是 torch.Size([])。</translation>
    </message>
    <message>
        <source>4 parameter attributes + conv1 (4) + dense (4) + layer4cxq1 (2) + layer4cxq4 (2) = 16 keys: exactly the tutorial&apos;s output.</source>
        <translation>4 个参数属性 + conv1 (4) + dense (4) + layer4cxq1 (2) + layer4cxq4 (2) = 16 个键：与教程的输出完全一致。</translation>
    </message>
    <message>
        <source>Model B&apos;s __init__ assigns attribute_buffer_in = torch.randn(3,5) as a plain attribute and registers register_buffer_in with register_buffer().</source>
        <translation>模型 B 的 __init__ 把 attribute_buffer_in = torch.randn(3,5) 赋值为普通属性，并用 register_buffer() 登记注册 register_buffer_in。</translation>
    </message>
    <message>
        <source>Only register_buffer_in is a buffer. attribute_buffer_in was merely assigned, so named_buffers() does not see it.</source>
        <translation>只有 register_buffer_in 是缓冲 buffer。attribute_buffer_in 仅仅是被赋值，所以 named_buffers() 看不到它。</translation>
    </message>
    <message>
        <source>state_dict() holds the buffer, then conv1&apos;s parameters: 3 keys. The plain attribute attribute_buffer_in is not among them.</source>
        <translation>state_dict() 包含这个缓冲，然后是 conv1 的参数：共 3 个键。普通属性 attribute_buffer_in 不在其中。</translation>
    </message>
    <message>
        <source>After the model was built, a tensor assigned as an attribute is still a plain attribute: the tree shows attribute_buffer_out, state_dict() does not change.</source>
        <translation>模型构建之后，赋值为属性的张量仍然只是普通属性：树中显示 attribute_buffer_out，state_dict() 不变。</translation>
    </message>
    <message>
        <source>A buffer must be registered to take effect: a tensor merely assigned to a Module&apos;s attribute is not turned into a buffer automatically, so state_dict(), buffers() and named_buffers() cannot reach it.</source>
        <translation>缓冲 buffer 必须要登记注册才会有效，如果仅仅将张量赋值给 Module 模块的属性，不会被自动转为缓冲 buffer，因而也无法被 state_dict()、buffers()、named_buffers() 访问到。</translation>
    </message>
    <message>
        <source>register_buffer() works after the model was built too: register_buffer_out is a buffer and a new state_dict key, after register_buffer_in and before conv1&apos;s parameters.</source>
        <translation>模型构建之后 register_buffer() 同样有效：register_buffer_out 是缓冲，也是 state_dict 的新键，位于 register_buffer_in 之后、conv1 的参数之前。</translation>
    </message>
    <message>
        <source>Besides, state_dict() walks both buffers and Parameters: 4 keys now.</source>
        <translation>此外 state_dict() 可以遍历缓冲 buffer 和参数 Parameter：现在共 4 个键。</translation>
    </message>
    <message>
        <source>The difference between a buffer and a Parameter: the former is not optimized by training, the latter is. named_parameters() still lists conv1&apos;s two parameters only.</source>
        <translation>缓冲 buffer 和参数 Parameter 的区别是前者不需要训练优化，而后者需要训练优化。named_parameters() 仍然只列出 conv1 的两个参数。</translation>
    </message>
    <message>
        <source>They are also created differently: a buffer must be registered with register_buffer(); a Parameter is more flexible: assign it to a module attribute directly, or register it with register_parameter().</source>
        <translation>在创建方法上也有区别：前者必须要将一个张量使用方法 register_buffer() 来登记注册；后者比较灵活，可以直接赋值给模块的属性，也可以使用方法 register_parameter() 来登记注册。</translation>
    </message>
    <message>
        <source>ReLU, MaxPool2d and Dropout have no parameters and no buffers: layer4cxq2, layer4cxq3 and layer4cxq5 add no key, and neither do conv1.1, conv1.3, conv1.4, dense.1 and dense.2.</source>
        <translation>ReLU、MaxPool2d 和 Dropout 既没有参数也没有缓冲：layer4cxq2、layer4cxq3 和 layer4cxq5 不增加任何键，conv1.1、conv1.3、conv1.4、dense.1 和 dense.2 也一样。</translation>
    </message>
</context>
<context>
    <name>mx</name>
    <message>
        <source>.grad is None: backward never reached this parameter.</source>
        <translation>.grad 为 None：backward 没有到达这个参数。</translation>
    </message>
    <message>
        <source>.grad: %1, sum %2 (the Inspector shows it: Gradient)</source>
        <translation>.grad：%1，总和 %2（在检查器中查看：梯度）</translation>
    </message>
    <message>
        <source>Δ max %1 (was all zeros)</source>
        <translation>Δ 最大 %1（原来全为零）</translation>
    </message>
    <message>
        <source>Δ max %1 · rel %2%</source>
        <translation>Δ 最大 %1 · 相对 %2%</translation>
    </message>
    <message numerus="yes">
        <source>Changed by the optimizer&apos;s %n step(s): max |Δ| %1, relative L2 change %2.</source>
        <translation>
            <numerusform>被优化器的 %n 步改变：最大 |Δ| %1，相对 L2 变化 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Changed by forward in train mode (BatchNorm updates its running statistics on every call), not by the optimizer: max |Δ| %1, relative L2 change %2.</source>
        <translation>由训练模式下的 forward 改变（BatchNorm 每次调用都会更新其运行统计量），而不是优化器：最大 |Δ| %1，相对 L2 变化 %2。</translation>
    </message>
    <message>
        <source>unchanged · frozen</source>
        <translation>未变 · 已冻结</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>requires_grad=False: backward gives it no .grad, so the optimizer skips it.</source>
        <translation>requires_grad=False：backward 不给它 .grad，所以优化器跳过它。</translation>
    </message>
    <message>
        <source>No gradient reached it (forward does not use it), so the optimizer skipped it.</source>
        <translation>没有梯度到达它（forward 没有用到它），所以优化器跳过了它。</translation>
    </message>
    <message>
        <source>A plain attribute: not a parameter, so the optimizer never sees it.</source>
        <translation>普通属性：不是参数，所以优化器看不到它。</translation>
    </message>
    <message>
        <source>A buffer: state, not something the optimizer learns.</source>
        <translation>缓冲 buffer：是状态，不是优化器要学习的东西。</translation>
    </message>
    <message>
        <source>the image would be empty (%1 × %2 pixels)</source>
        <translation>图像将为空（%1 × %2 像素）</translation>
    </message>
    <message>
        <source>%1 × %2 pixels is larger than the limit of %3 pixels a side; choose a smaller size or scale, or export the tree to a depth</source>
        <translation>%1 × %2 像素超过了单边 %3 像素的上限；请选择更小的尺寸或缩放倍数，或只导出树的前几层</translation>
    </message>
    <message>
        <source>%1 × %2 pixels is more than the limit of %3 million pixels (400 MB); choose a smaller size or scale</source>
        <translation>%1 × %2 像素超过了 %3 百万像素（400 MB）的上限；请选择更小的尺寸或缩放倍数</translation>
    </message>
    <message>
        <source>cannot export the view: %1</source>
        <translation>无法导出视图：%1</translation>
    </message>
    <message>
        <source>cannot export the view: there is nothing to export</source>
        <translation>无法导出视图：没有可导出的内容</translation>
    </message>
    <message>
        <source>cannot export the view: out of memory for the image</source>
        <translation>无法导出视图：图像所需内存不足</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: unknown format (expected .png, .svg or .pdf)</source>
        <translation>无法写入 &apos;%1&apos;：未知格式（应为 .png、.svg 或 .pdf）</translation>
    </message>
</context>
<context>
    <name>mx::AboutDialog</name>
    <message>
        <source>Qt %1 (built with Qt %2)</source>
        <translation>Qt %1（构建时使用 Qt %2）</translation>
    </message>
    <message>
        <source>LibTorch %1</source>
        <translation>LibTorch %1</translation>
    </message>
    <message>
        <source>CUDA: none (LibTorch was built for the CPU only)</source>
        <translation>CUDA：无（LibTorch 仅为 CPU 构建）</translation>
    </message>
    <message>
        <source>CUDA: %1 (the version LibTorch was built with)</source>
        <translation>CUDA：%1（构建 LibTorch 时使用的版本）</translation>
    </message>
    <message numerus="yes">
        <source>CUDA available: yes, %n GPU(s)</source>
        <translation>
            <numerusform>CUDA 可用：是，%n 个 GPU</numerusform>
        </translation>
    </message>
    <message>
        <source>CUDA available: no (%1)</source>
        <translation>CUDA 可用：否（%1）</translation>
    </message>
    <message>
        <source>Platform: %1, %2</source>
        <translation>平台：%1，%2</translation>
    </message>
    <message>
        <source>About Module Explorer</source>
        <translation>关于 Module Explorer</translation>
    </message>
    <message>
        <source>Module Explorer %1</source>
        <translation>Module Explorer %1</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Module Explorer %1&lt;/h3&gt;&lt;p&gt;See how parameters, buffers and plain attributes make up a PyTorch module&apos;s &lt;code&gt;state_dict()&lt;/code&gt;, and change the module live.&lt;/p&gt;&lt;p&gt;For a bug report, copy the versions below:&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Module Explorer %1&lt;/h3&gt;&lt;p&gt;看清参数、缓冲和普通属性如何组成 PyTorch 模块的 &lt;code&gt;state_dict()&lt;/code&gt;，并实时修改模块。&lt;/p&gt;&lt;p&gt;报告问题时，请复制下面的版本信息：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Copy Versions</source>
        <translation>复制版本信息(&amp;C)</translation>
    </message>
    <message>
        <source>CUDA available: no (no CUDA GPU is visible to this process)</source>
        <translation>CUDA 可用：否（此进程看不到任何 CUDA GPU）</translation>
    </message>
</context>
<context>
    <name>mx::ConsoleController</name>
    <message>
        <source># new model: the example &apos;%1&apos; is bound to `model` (and `self`)</source>
        <translation># 新模型：示例 &apos;%1&apos; 已绑定到 `model`（以及 `self`）</translation>
    </message>
    <message>
        <source># opened %1 (%2): a state_dict, shown as a tree; statements need a module</source>
        <translation># 已打开 %1（%2）：这是一个 state_dict，以树的形式显示；语句需要一个模块</translation>
    </message>
    <message>
        <source># opened %1 (%2): its modules are bound to `model` (and `self`)</source>
        <translation># 已打开 %1（%2）：它的模块已绑定到 `model`（以及 `self`）</translation>
    </message>
    <message>
        <source># undone: %1</source>
        <translation># 已撤销：%1</translation>
    </message>
    <message>
        <source># redone: %1</source>
        <translation># 已重做：%1</translation>
    </message>
    <message>
        <source># running %1 …</source>
        <translation># 正在运行 %1 …</translation>
    </message>
    <message>
        <source># %1 was stopped; the open model stays</source>
        <translation># %1 已被停止；当前打开的模型保持不变</translation>
    </message>
    <message>
        <source># %1 failed; the open model stays</source>
        <translation># %1 运行失败；当前打开的模型保持不变</translation>
    </message>
    <message>
        <source># opened %1: its %2 is bound to `model` (and `self`); the script&apos;s classes and variables are defined here too</source>
        <translation># 已打开 %1：它的 %2 已绑定到 `model`（以及 `self`）；脚本中的类和变量在这里也都已定义</translation>
    </message>
    <message>
        <source># model is now the %1 built on line %2 (the previous model was closed; undo starts again from here)</source>
        <translation># model 现在是第 %2 行构建的 %1（之前的模型已关闭；撤销从这里重新开始）</translation>
    </message>
    <message>
        <source># model is now a new %1 (the previous model was closed; undo starts again from here)</source>
        <translation># model 现在是一个新的 %1（之前的模型已关闭；撤销从这里重新开始）</translation>
    </message>
    <message>
        <source># Stopped at line %1; line %2 did not run.</source>
        <translation># 在第 %1 行停止；第 %2 行没有运行。</translation>
    </message>
    <message>
        <source># Stopped at line %1; lines %2–%3 did not run.</source>
        <translation># 在第 %1 行停止；第 %2–%3 行没有运行。</translation>
    </message>
</context>
<context>
    <name>mx::ConsoleInput</name>
    <message>
        <source>model.register_buffer(&apos;b&apos;, torch.randn(4, 6))   — Enter runs, Shift+Enter adds a line, Tab completes, ↑/↓ history</source>
        <translation>model.register_buffer(&apos;b&apos;, torch.randn(4, 6))   — Enter 运行，Shift+Enter 换行，Tab 补全，↑/↓ 历史</translation>
    </message>
</context>
<context>
    <name>mx::ConsoleWidget</name>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Interrupt the running statement (Ctrl+C): it raises KeyboardInterrupt and changes nothing</source>
        <translation>中断正在运行的语句（Ctrl+C）：它会抛出 KeyboardInterrupt，不做任何改变</translation>
    </message>
    <message>
        <source>Running… Ctrl+C or Stop interrupts the statement.</source>
        <translation>正在运行… 按 Ctrl+C 或“停止”中断该语句。</translation>
    </message>
</context>
<context>
    <name>mx::Document</name>
    <message>
        <source>unknown example &apos;%1&apos;</source>
        <translation>未知示例 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>RuntimeError: no model is open</source>
        <translation>RuntimeError: 没有打开的模型</translation>
    </message>
    <message>
        <source>RuntimeError: a forward pass or training run is running; wait for it or cancel it before editing the model</source>
        <translation>RuntimeError: 正在运行 forward 或训练；请等待它结束或取消后再编辑模型</translation>
    </message>
    <message>
        <source>RuntimeError: a statement is running; wait for it or stop it (Ctrl+C)</source>
        <translation>RuntimeError: 有语句正在运行；请等待它结束或停止它（Ctrl+C）</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>the script made no nn.Module</source>
        <translation>脚本没有创建任何 nn.Module</translation>
    </message>
    <message>
        <source>no model was chosen</source>
        <translation>没有选择模型</translation>
    </message>
</context>
<context>
    <name>mx::EditActions</name>
    <message>
        <source>Add &amp;Parameter…</source>
        <translation>添加参数(&amp;P)…</translation>
    </message>
    <message>
        <source>register_parameter on the selected module</source>
        <translation>在选中的模块上调用 register_parameter</translation>
    </message>
    <message>
        <source>Register &amp;Buffer…</source>
        <translation>登记注册缓冲(&amp;B)…</translation>
    </message>
    <message>
        <source>register_buffer on the selected module</source>
        <translation>在选中的模块上调用 register_buffer</translation>
    </message>
    <message>
        <source>Set Plain &amp;Attribute…</source>
        <translation>设置普通属性(&amp;A)…</translation>
    </message>
    <message>
        <source>Assign a plain attribute (module.name = value)</source>
        <translation>赋值一个普通属性（module.name = value）</translation>
    </message>
    <message>
        <source>Add &amp;Submodule…</source>
        <translation>添加子模块(&amp;S)…</translation>
    </message>
    <message>
        <source>add_module on the selected module</source>
        <translation>在选中的模块上调用 add_module</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>重命名(&amp;R)…</translation>
    </message>
    <message>
        <source>Register under a new name, then del the old one</source>
        <translation>以新名字登记注册，再 del 旧名字</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>del module.name</source>
        <translation>del module.name</translation>
    </message>
    <message>
        <source>Add parameter</source>
        <translation>添加参数</translation>
    </message>
    <message>
        <source>A parameter is registered: it is in state_dict(), parameters() and named_parameters(), and an optimizer trains it.</source>
        <translation>参数会被登记注册：它出现在 state_dict()、parameters() 和 named_parameters() 中，优化器会训练它。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <source>Initial value</source>
        <translation>初始值</translation>
    </message>
    <message>
        <source>Register buffer</source>
        <translation>登记注册缓冲</translation>
    </message>
    <message>
        <source>A buffer is state that is not trained (like BatchNorm&apos;s running_mean). Persistent buffers are in state_dict(); non-persistent ones only in buffers().</source>
        <translation>缓冲 buffer 是不参与训练的状态（比如 BatchNorm 的 running_mean）。持久缓冲在 state_dict() 中；非持久缓冲只在 buffers() 中。</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>persistent (saved in state_dict)</source>
        <translation>持久（保存在 state_dict 中）</translation>
    </message>
    <message>
        <source>Set plain attribute</source>
        <translation>设置普通属性</translation>
    </message>
    <message>
        <source>A plain attribute is not registered: a tensor assigned this way is not a buffer, so state_dict(), buffers() and .to() ignore it.</source>
        <translation>普通属性没有登记注册：这样赋值的张量不是缓冲 buffer，所以 state_dict()、buffers() 和 .to() 都不理会它。</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Add submodule</source>
        <translation>添加子模块</translation>
    </message>
    <message>
        <source>A submodule&apos;s parameters and buffers join state_dict() under its name as a prefix. A module already in the model (model.conv1) is shared: one module under both names.</source>
        <translation>子模块的参数和缓冲以它的名字为前缀加入 state_dict()。已在模型中的模块（如 model.conv1）会被共享：同一个模块，两个名字。</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>Rename %1</source>
        <translation>重命名 %1</translation>
    </message>
    <message>
        <source>Python has no rename: this registers the same tensor or module under the new name (at the end of its section, as PyTorch would) and deletes the old name.</source>
        <translation>Python 没有重命名：这会以新名字登记注册同一个张量或模块（像 PyTorch 一样排在它那一类的末尾），然后删除旧名字。</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>新名字</translation>
    </message>
</context>
<context>
    <name>mx::EntryDetails</name>
    <message>
        <source>✔ in state_dict</source>
        <translation>✔ 在 state_dict 中</translation>
    </message>
    <message>
        <source>✘ not in state_dict</source>
        <translation>✘ 不在 state_dict 中</translation>
    </message>
    <message>
        <source>Select an entry to see why it is, or is not, in &lt;code&gt;state_dict()&lt;/code&gt;.</source>
        <translation>选择一个条目，看看它为什么在（或不在）&lt;code&gt;state_dict()&lt;/code&gt; 中。</translation>
    </message>
</context>
<context>
    <name>mx::Examples</name>
    <message>
        <source>Model A: state_dict() of the tutorial&apos;s model</source>
        <translation>模型 A：教程模型的 state_dict()</translation>
    </message>
    <message>
        <source>Parameters of used and unused layers and four nn.Parameter attributes: 16 state_dict keys.</source>
        <translation>用到和未用到的层的参数，以及四个 nn.Parameter 属性：共 16 个 state_dict 键。</translation>
    </message>
    <message>
        <source>Model B: plain attribute vs. register_buffer</source>
        <translation>模型 B：普通属性与 register_buffer</translation>
    </message>
    <message>
        <source>A tensor assigned as a plain attribute is not a buffer; register_buffer makes one.</source>
        <translation>赋值为普通属性的张量不是缓冲 buffer；register_buffer 才会登记注册一个缓冲。</translation>
    </message>
    <message>
        <source>BatchNorm2d: running averages as buffers</source>
        <translation>BatchNorm2d：作为缓冲的运行平均</translation>
    </message>
    <message>
        <source>BatchNorm2d keeps running_mean, running_var and num_batches_tracked as persistent buffers.</source>
        <translation>BatchNorm2d 把 running_mean、running_var 和 num_batches_tracked 保存为持久缓冲。</translation>
    </message>
</context>
<context>
    <name>mx::ExportViewDialog</name>
    <message>
        <source>Whole view: the tree fully expanded, every row of a listing</source>
        <translation>整个视图：完全展开的树、列表的每一行</translation>
    </message>
    <message>
        <source>Show the selection</source>
        <translation>显示选中项</translation>
    </message>
    <message>
        <source>Show scroll bars</source>
        <translation>显示滚动条</translation>
    </message>
    <message>
        <source>Export View</source>
        <translation>导出视图</translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation>PNG 图像</translation>
    </message>
    <message>
        <source>SVG (vector, text stays text)</source>
        <translation>SVG（矢量，文字保持为文字）</translation>
    </message>
    <message>
        <source>PDF (vector)</source>
        <translation>PDF（矢量）</translation>
    </message>
    <message>
        <source>%1×</source>
        <translation>%1×</translation>
    </message>
    <message>
        <source>from the view</source>
        <translation>与视图相同</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Light print theme</source>
        <translation>浅色打印主题</translation>
    </message>
    <message>
        <source>As on screen</source>
        <translation>与屏幕相同</translation>
    </message>
    <message>
        <source>&amp;View:</source>
        <translation>视图(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>S&amp;cale (PNG):</source>
        <translation>缩放(&amp;C)（PNG）：</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Size (width × height):</source>
        <translation>尺寸（宽 × 高）：</translation>
    </message>
</context>
<context>
    <name>mx::ForwardPanel</name>
    <message>
        <source>Input size, dimensions joined by &apos;x&apos; (batch first), e.g. 64x1x28x28</source>
        <translation>输入尺寸，各维用 &apos;x&apos; 连接（批量在前），例如 64x1x28x28</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批量</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <source>arange(numel) / numel, reshaped: the same input in every run</source>
        <translation>arange(numel) / numel 再 reshape：每次运行的输入都相同</translation>
    </message>
    <message>
        <source>seed </source>
        <translation>种子 </translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>eval(): Dropout off, BatchNorm uses running stats.
train(): Dropout on, BatchNorm updates running_mean, running_var and num_batches_tracked.</source>
        <translation>eval()：关闭 Dropout，BatchNorm 使用运行统计量。
train()：开启 Dropout，BatchNorm 更新 running_mean、running_var 和 num_batches_tracked。</translation>
    </message>
    <message>
        <source>Run on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <source> timed runs</source>
        <translation> 次计时运行</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Run forward</source>
        <translation>运行 forward</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Latency vs batch</source>
        <translation>延迟与批量</translation>
    </message>
    <message>
        <source>Time forward at batch sizes 1, 2, 4, ..., 256 on the chosen device</source>
        <translation>在所选设备上以批量 1, 2, 4, ..., 256 为 forward 计时</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Run forward to see the output shape and each submodule&apos;s output in the tree.</source>
        <translation>运行 forward，在树中查看输出形状和每个子模块的输出。</translation>
    </message>
    <message>
        <source>Run on the GPU</source>
        <translation>在 GPU 上运行</translation>
    </message>
    <message>
        <source>CUDA is unavailable: %1</source>
        <translation>CUDA 不可用：%1</translation>
    </message>
    <message>
        <source>Enter the input size as positive dimensions joined by &apos;x&apos;, batch first, e.g. 64x1x28x28.</source>
        <translation>请输入尺寸：用 &apos;x&apos; 连接的正整数各维，批量在前，例如 64x1x28x28。</translation>
    </message>
    <message>
        <source>In train mode forward runs exactly once per click: every call updates BatchNorm&apos;s running stats and num_batches_tracked. Timing repeats run in eval mode.</source>
        <translation>训练模式下每次点击 forward 只运行一次：每次调用都会更新 BatchNorm 的运行统计量和 num_batches_tracked。重复计时在 eval 模式下运行。</translation>
    </message>
    <message>
        <source>The latency sweep runs in eval mode only: in train mode every call would update BatchNorm&apos;s running stats.</source>
        <translation>延迟扫描只在 eval 模式下运行：在训练模式下每次调用都会更新 BatchNorm 的运行统计量。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>forward was not run: it would pass the memory budget. The model is unchanged.</source>
        <translation>forward 没有运行：它会超出内存预算。模型未改变。</translation>
    </message>
    <message>
        <source>forward raised an error; the model is unchanged.</source>
        <translation>forward 抛出了错误；模型未改变。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 ms&lt;/b&gt; · forward called &lt;b&gt;once&lt;/b&gt; (train mode: one click is one batch for BatchNorm) on %2 · peak memory %3</source>
        <translation>&lt;b&gt;%1 ms&lt;/b&gt; · forward 调用了&lt;b&gt;一次&lt;/b&gt;（训练模式：一次点击就是 BatchNorm 的一个批量），在 %2 上 · 峰值内存 %3</translation>
    </message>
    <message>
        <source>median &lt;b&gt;%1 ms&lt;/b&gt; (min %2, max %3) · forward called %4 times (1 traced, 1 warm-up, %5 timed) on %6 · peak memory %7</source>
        <translation>中位数 &lt;b&gt;%1 ms&lt;/b&gt;（最小 %2，最大 %3）· forward 调用了 %4 次（1 次追踪，1 次预热，%5 次计时），在 %6 上 · 峰值内存 %7</translation>
    </message>
    <message>
        <source>&lt;b&gt;forward returned None&lt;/b&gt; (its body is &lt;code&gt;pass&lt;/code&gt;)&lt;br&gt;%1</source>
        <translation>&lt;b&gt;forward 返回了 None&lt;/b&gt;（它的函数体是 &lt;code&gt;pass&lt;/code&gt;）&lt;br&gt;%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Output:&lt;/b&gt; %1&lt;br&gt;%2</source>
        <translation>&lt;b&gt;输出：&lt;/b&gt;%1&lt;br&gt;%2</translation>
    </message>
    <message>
        <source>First values: [%1, …]%2</source>
        <translation>前几个值：[%1, …]%2</translation>
    </message>
    <message>
        <source>&lt;br&gt;Not called by forward: %1</source>
        <translation>&lt;br&gt;forward 未调用：%1</translation>
    </message>
    <message>
        <source>Latency sweep cancelled.</source>
        <translation>延迟扫描已取消。</translation>
    </message>
    <message>
        <source>Not timed: batch %1 (%2)</source>
        <translation>未计时：批量 %1（%2）</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>%1 · input %2 %3 · %4%5</source>
        <translation>%1 · 输入 %2 %3 · %4%5</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>The chart was not exported: %1.
An existing file was left as it was.</source>
        <translation>图表未导出：%1。
已有的文件保持原样。</translation>
    </message>
    <message>
        <source>This model has no forward to run:</source>
        <translation>这个模型没有可运行的 forward：</translation>
    </message>
</context>
<context>
    <name>mx::ForwardRunner</name>
    <message>
        <source>MemoryError: a batch of %1 is past Module Explorer&apos;s memory budget of %2 for this model and input (the last run&apos;s estimate fits at most %3; Preferences / --memory-budget)</source>
        <translation>MemoryError: 批量 %1 超出了 Module Explorer 对此模型和输入的内存预算 %2（按上次运行的估计最多容纳 %3；见“首选项”/ --memory-budget）</translation>
    </message>
</context>
<context>
    <name>mx::GraphModel</name>
    <message>
        <source>not used by forward</source>
        <translation>forward 未使用</translation>
    </message>
</context>
<context>
    <name>mx::GraphPanel</name>
    <message>
        <source>Expand all</source>
        <translation>全部展开</translation>
    </message>
    <message>
        <source>Show every container&apos;s own forward inside it</source>
        <translation>在每个容器内显示它自己的 forward</translation>
    </message>
    <message>
        <source>Collapse</source>
        <translation>折叠</translation>
    </message>
    <message>
        <source>One box per submodule the model&apos;s forward calls</source>
        <translation>模型的 forward 调用的每个子模块一个方框</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>PNG (1×)…</source>
        <translation>PNG (1×)…</translation>
    </message>
    <message>
        <source>PNG (2×)…</source>
        <translation>PNG (2×)…</translation>
    </message>
    <message>
        <source>PNG (3×)…</source>
        <translation>PNG (3×)…</translation>
    </message>
    <message>
        <source>SVG…</source>
        <translation>SVG…</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Export graph</source>
        <translation>导出数据流图</translation>
    </message>
    <message>
        <source>The graph was not exported: %1.
An existing file was left as it was.</source>
        <translation>数据流图未导出：%1。
已有的文件保持原样。</translation>
    </message>
</context>
<context>
    <name>mx::HeatmapPlot</name>
    <message>
        <source>column (dim -1)</source>
        <translation>列（dim -1）</translation>
    </message>
    <message>
        <source>row (dim -2)</source>
        <translation>行（dim -2）</translation>
    </message>
    <message>
        <source>index</source>
        <translation>索引</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>[%1, %2]</source>
        <translation>[%1, %2]</translation>
    </message>
    <message>
        <source>[%1]</source>
        <translation>[%1]</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source>%1 · mean %2 · min %3 · max %4 (one cell for %5 elements)</source>
        <translation>%1 · 均值 %2 · 最小 %3 · 最大 %4（每格代表 %5 个元素）</translation>
    </message>
</context>
<context>
    <name>mx::HistogramPlot</name>
    <message>
        <source>count</source>
        <translation>个数</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>bin %1: [%2, %3%4 · %5 values</source>
        <translation>区间 %1：[%2, %3%4 · %5 个值</translation>
    </message>
</context>
<context>
    <name>mx::InspectorPanel</name>
    <message>
        <source>log counts</source>
        <translation>对数计数</translation>
    </message>
    <message>
        <source>Pin to Compare</source>
        <translation>固定以比较</translation>
    </message>
    <message>
        <source>Computing the statistics off the GUI thread; selecting another entry cancels it</source>
        <translation>正在后台线程计算统计量；选择其他条目会取消它</translation>
    </message>
    <message>
        <source>bins </source>
        <translation>区间数 </translation>
    </message>
    <message>
        <source>Histogram bins: equal width from min to max, as torch.histc</source>
        <translation>直方图区间：从最小值到最大值等宽划分，与 torch.histc 相同</translation>
    </message>
    <message>
        <source>Keep a copy of this tensor; then select another of the same shape (or this one after a forward, load or edit) to see the difference</source>
        <translation>保留这个张量的副本；然后选择另一个形状相同的张量（或在 forward、加载或编辑之后再选这一个）来查看差别</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>PNG at %1×…</source>
        <translation>PNG（%1×）…</translation>
    </message>
    <message>
        <source>SVG (vector)…</source>
        <translation>SVG（矢量）…</translation>
    </message>
    <message>
        <source>PDF (vector)…</source>
        <translation>PDF（矢量）…</translation>
    </message>
    <message>
        <source>Copy Plot as Image</source>
        <translation>将图复制为图像</translation>
    </message>
    <message>
        <source>Copy Values</source>
        <translation>复制数值</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>图</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Select a parameter, buffer or tensor attribute to inspect it.</source>
        <translation>选择一个参数、缓冲或张量属性来检查它。</translation>
    </message>
    <message>
        <source>Pin a tensor, then select another of the same shape and dtype — or the same entry after a forward in train mode, a load_state_dict or an edit — to see what changed.</source>
        <translation>固定一个张量，再选择另一个形状和 dtype 相同的张量——或者在训练模式的 forward、load_state_dict 或编辑之后再选同一个条目——查看发生了什么变化。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is pinned.</source>
        <translation>已固定 &apos;%1&apos;。</translation>
    </message>
    <message>
        <source>%1 − pinned %2</source>
        <translation>%1 − 已固定的 %2</translation>
    </message>
    <message>
        <source>no element changed</source>
        <translation>没有元素改变</translation>
    </message>
    <message>
        <source>%1 of %2 elements differ</source>
        <translation>%2 个元素中有 %1 个不同</translation>
    </message>
    <message>
        <source>%1 · computing…</source>
        <translation>%1 · 计算中…</translation>
    </message>
    <message>
        <source>Values are not read while a statement or forward runs.</source>
        <translation>语句或 forward 运行时不读取数值。</translation>
    </message>
    <message>
        <source>slice [</source>
        <translation>切片 [</translation>
    </message>
    <message>
        <source>index in dimension %1 (size %2)</source>
        <translation>第 %1 维的索引（大小 %2）</translation>
    </message>
    <message>
        <source>, :, :]</source>
        <translation>, :, :]</translation>
    </message>
    <message>
        <source>&lt; 0.1 ms</source>
        <translation>&lt; 0.1 ms</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4 · %5</source>
        <translation>%1 · %2 · %3 · %4 · %5</translation>
    </message>
    <message>
        <source>%1 · %2 bins</source>
        <translation>%1 · %2 个区间</translation>
    </message>
    <message>
        <source>no finite values: nothing to count</source>
        <translation>没有有限值：无可计数</translation>
    </message>
    <message>
        <source>Unpin %1</source>
        <translation>取消固定 %1</translation>
    </message>
    <message>
        <source>the Values tab has no plot: copy its values as text instead</source>
        <translation>“数值”标签页没有图：请改为以文本复制数值</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation>导出图</translation>
    </message>
</context>
<context>
    <name>mx::KernelGrid</name>
    <message>
        <source>Previous kernels</source>
        <translation>上一页卷积核</translation>
    </message>
    <message>
        <source>Next kernels</source>
        <translation>下一页卷积核</translation>
    </message>
    <message>
        <source>kernels %1–%2 of %3 (out × in = %4 × %5, each %6 × %7)%8</source>
        <translation>卷积核 %1–%2，共 %3 个（输出 × 输入 = %4 × %5，每个 %6 × %7）%8</translation>
    </message>
    <message>
        <source> · page %1 of %2</source>
        <translation> · 第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <source>blue −%1 · white 0 · red +%1</source>
        <translation>蓝 −%1 · 白 0 · 红 +%1</translation>
    </message>
    <message>
        <source>kernel [%1, %2] (output channel %1, input channel %2)</source>
        <translation>卷积核 [%1, %2]（输出通道 %1，输入通道 %2）</translation>
    </message>
</context>
<context>
    <name>mx::KindBadgeDelegate</name>
    <message>
        <source>shared with %1</source>
        <translation>与 %1 共享</translation>
    </message>
</context>
<context>
    <name>mx::Language</name>
    <message>
        <source>unknown language &apos;%1&apos; (choose one of: %2)</source>
        <translation>未知语言 &apos;%1&apos;（可选：%2）</translation>
    </message>
    <message>
        <source>the translation for &apos;%1&apos; is missing from this build</source>
        <translation>此版本缺少 &apos;%1&apos; 的翻译</translation>
    </message>
</context>
<context>
    <name>mx::LatencyChart</name>
    <message>
        <source>batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <source>median forward time (ms)</source>
        <translation>forward 时间中位数（ms）</translation>
    </message>
    <message>
        <source>Forward latency vs batch size</source>
        <translation>forward 延迟与批量大小</translation>
    </message>
</context>
<context>
    <name>mx::ListingModel</name>
    <message>
        <source>Removed by the last change</source>
        <translation>被上一次修改删除</translation>
    </message>
    <message>
        <source>Added by the last change</source>
        <translation>由上一次修改添加</translation>
    </message>
    <message>
        <source>Shape changed by the last change</source>
        <translation>形状被上一次修改改变</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名字</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>module</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>种类</translation>
    </message>
    <message>
        <source>after training</source>
        <translation>训练之后</translation>
    </message>
    <message>
        <source>state_dict entry</source>
        <translation>state_dict 条目</translation>
    </message>
</context>
<context>
    <name>mx::ListingPanel</name>
    <message>
        <source>Before the last change</source>
        <translation>上一次修改之前</translation>
    </message>
    <message>
        <source>Compare with the listing as it was before the last edit, like the tutorial&apos;s two printouts (removed keys in red).</source>
        <translation>与上一次编辑之前的列表比较，就像教程里的两次打印输出（删除的键显示为红色）。</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#2e8b3e&apos;&gt;+%1 added&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#2e8b3e&apos;&gt;+%1 新增&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#b03a2e&apos;&gt;−%1 removed&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#b03a2e&apos;&gt;−%1 删除&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#9a6b00&apos;&gt;%1 shape changed&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#9a6b00&apos;&gt;%1 形状改变&lt;/span&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;model.%1&lt;/b&gt; — %2 %3, in PyTorch&apos;s order%4%5</source>
        <translation>&lt;b&gt;model.%1&lt;/b&gt; — %2 %3，按 PyTorch 的顺序%4%5</translation>
    </message>
    <message>
        <source>entry</source>
        <translation>个条目</translation>
    </message>
    <message>
        <source>entries</source>
        <translation>个条目</translation>
    </message>
    <message>
        <source> (before the last change)</source>
        <translation>（上一次修改之前）</translation>
    </message>
</context>
<context>
    <name>mx::LoadReportDialog</name>
    <message>
        <source>Load state_dict: %1</source>
        <translation>加载 state_dict：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Nothing was loaded.&lt;/b&gt; PyTorch raises this error (it would have copied the entries before it; Module Explorer keeps the model unchanged):</source>
        <translation>&lt;b&gt;什么也没有加载。&lt;/b&gt;PyTorch 会抛出这个错误（PyTorch 会先复制出错之前的条目；Module Explorer 则保持模型不变）：</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Loaded %n tensor(s)&lt;/b&gt; in place, as one step you can undo. load_state_dict returned:</source>
        <translation>
            <numerusform>&lt;b&gt;已原地加载 %n 个张量&lt;/b&gt;，作为可撤销的一步。load_state_dict 返回：</numerusform>
        </translation>
    </message>
    <message>
        <source>As Python: &lt;code&gt;%1&lt;/code&gt;</source>
        <translation>对应的 Python：&lt;code&gt;%1&lt;/code&gt;</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>in the model, not in the file</source>
        <translation>在模型中，不在文件中</translation>
    </message>
    <message>
        <source>unexpected</source>
        <translation>多余</translation>
    </message>
    <message>
        <source>in the file, not in the model</source>
        <translation>在文件中，不在模型中</translation>
    </message>
    <message>
        <source>size mismatch</source>
        <translation>大小不匹配</translation>
    </message>
    <message>
        <source>the file&apos;s tensor has another shape than the model&apos;s</source>
        <translation>文件中的张量形状与模型中的不同</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>已加载</translation>
    </message>
    <message>
        <source>copied into the model&apos;s tensor in place</source>
        <translation>已原地复制到模型的张量中</translation>
    </message>
    <message>
        <source>Load with strict=False</source>
        <translation>以 strict=False 加载</translation>
    </message>
</context>
<context>
    <name>mx::LossChart</name>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Loss per step (run training to see it)</source>
        <translation>每步的损失（运行训练后可见）</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
</context>
<context>
    <name>mx::MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export Session as Python…</source>
        <translation>将会话导出为 Python(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做 %1(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Examples</source>
        <translation>示例(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Expand All</source>
        <translation>全部展开(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Collapse to Top Level</source>
        <translation>折叠到顶层(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>前向传播</translation>
    </message>
    <message>
        <source>%1 keys in state_dict · %2 · %3 submodules</source>
        <translation>state_dict 中有 %1 个键 · %2 · %3 个子模块</translation>
    </message>
    <message>
        <source>%1 keys in the %2&apos;s state_dict</source>
        <translation>%2 的 state_dict 中有 %1 个键</translation>
    </message>
    <message>
        <source>&amp;About Module Explorer</source>
        <translation>关于 Module Explorer(&amp;A)</translation>
    </message>
    <message>
        <source>Export session as Python</source>
        <translation>将会话导出为 Python</translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Export Session as Python</source>
        <translation>将会话导出为 Python</translation>
    </message>
    <message>
        <source>The session was not exported: %1.
An existing file was left as it was.</source>
        <translation>会话未导出：%1。
已有的文件保持原样。</translation>
    </message>
    <message>
        <source>Unsaved edits</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>The model has edits that are not saved.</source>
        <translation>模型有尚未保存的修改。</translation>
    </message>
    <message>
        <source>Save them as a Python script (File → Export Session as Python) before the model is replaced?</source>
        <translation>在替换模型之前，是否将它们保存为 Python 脚本（文件 → 将会话导出为 Python）？</translation>
    </message>
    <message>
        <source>Save them to %1 before the model is replaced?</source>
        <translation>在替换模型之前，是否将它们保存到 %1？</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The model was not saved: %1
An existing file was left as it was.</source>
        <translation>模型未保存：%1
已有的文件保持原样。</translation>
    </message>
    <message>
        <source>Building %1…</source>
        <translation>正在构建 %1…</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>&lt;the example as built&gt;</source>
        <translation>&lt;构建好的示例&gt;</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Inspect %1.grad</source>
        <translation>检查 %1.grad</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Load state_dict into Model…</source>
        <translation>将 state_dict 加载到模型(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>PyTorch files (*.pt *.pth *.bin *.ckpt *.safetensors *.json);;All files (*)</source>
        <translation>PyTorch 文件 (*.pt *.pth *.bin *.ckpt *.safetensors *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Opening %1 was cancelled</source>
        <translation>已取消打开 %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>清空菜单(&amp;C)</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>正在保存 %1…</translation>
    </message>
    <message>
        <source>Save the model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Load a state_dict into the model</source>
        <translation>将 state_dict 加载到模型</translation>
    </message>
    <message>
        <source>Load state_dict</source>
        <translation>加载 state_dict</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>数据流图</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>&apos;%1&apos; was deleted.</source>
        <translation>&apos;%1&apos; 已被删除。</translation>
    </message>
    <message>
        <source>Select a parameter, buffer or tensor attribute to inspect it.</source>
        <translation>选择一个参数、缓冲或张量属性来检查它。</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is None: it holds no values.</source>
        <translation>&apos;%1&apos; 是 None：它没有数值。</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言 Language(&amp;L)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <source>Export &amp;View…</source>
        <translation>导出视图(&amp;V)…</translation>
    </message>
    <message>
        <source>Save the tree, a listing, the console, a chart or the window as PNG, SVG or PDF</source>
        <translation>将树、列表、控制台、图表或整个窗口保存为 PNG、SVG 或 PDF</translation>
    </message>
    <message>
        <source>Copy as &amp;Image</source>
        <translation>复制为图像(&amp;I)</translation>
    </message>
    <message>
        <source>Module tree</source>
        <translation>模块树</translation>
    </message>
    <message>
        <source>Listing: %1()</source>
        <translation>列表：%1()</translation>
    </message>
    <message>
        <source>state_dict() before and after the last change</source>
        <translation>上一次修改前后的 state_dict()</translation>
    </message>
    <message>
        <source>Console transcript</source>
        <translation>控制台记录</translation>
    </message>
    <message>
        <source>Forward latency chart</source>
        <translation>forward 延迟图表</translation>
    </message>
    <message>
        <source>Inspector plot</source>
        <translation>检查器中的图</translation>
    </message>
    <message>
        <source>Whole window</source>
        <translation>整个窗口</translation>
    </message>
    <message>
        <source>state_dict() before the last change</source>
        <translation>上一次修改之前的 state_dict()</translation>
    </message>
    <message>
        <source>state_dict() now</source>
        <translation>当前的 state_dict()</translation>
    </message>
    <message>
        <source>cannot export the view: the console has no transcript</source>
        <translation>无法导出视图：控制台还没有记录</translation>
    </message>
    <message>
        <source>cannot export the view: the Inspector shows no plot (select a tensor and its Histogram or Plot tab)</source>
        <translation>无法导出视图：检查器中没有图（请选择一个张量，并打开它的“直方图”或“图”标签页）</translation>
    </message>
    <message>
        <source>cannot export the view &apos;%1&apos;: expected one of %2</source>
        <translation>无法导出视图 &apos;%1&apos;：应为 %2 之一</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Export View</source>
        <translation>导出视图</translation>
    </message>
    <message>
        <source>Copy as Image</source>
        <translation>复制为图像</translation>
    </message>
    <message>
        <source>TorchScript archive (*.pt *.pth)</source>
        <translation>TorchScript 归档 (*.pt *.pth)</translation>
    </message>
    <message>
        <source>state_dict, torch.save (*.pt *.pth)</source>
        <translation>state_dict，torch.save (*.pt *.pth)</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message>
        <source>module</source>
        <comment>the kind of a module row, for the filter</comment>
        <translation>模块</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>查找上一个(&amp;P)</translation>
    </message>
    <message>
        <source>Tutorial</source>
        <translation>教程</translation>
    </message>
    <message>
        <source>Step %1 did not run: %2</source>
        <translation>第 %1 步没有运行：%2</translation>
    </message>
    <message>
        <source>&amp;Tutorial…</source>
        <translation>教程(&amp;T)…</translation>
    </message>
    <message>
        <source>Play the tutorial&apos;s experiments one statement at a time</source>
        <translation>一次一条语句地演示教程中的实验</translation>
    </message>
    <message>
        <source>Opening the tutorial&apos;s model…</source>
        <translation>正在打开教程的模型…</translation>
    </message>
    <message>
        <source>&amp;Presentation</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Large text and rows, high contrast, no toolbars or status bar</source>
        <translation>大字号和行高，高对比度，不显示工具栏和状态栏</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>Dataflow graph</source>
        <translation>数据流图</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 (from the console)</source>
        <translation>%1（来自控制台）</translation>
    </message>
    <message>
        <source>PyTorch files (*.pt *.pth *.bin *.ckpt *.safetensors *.json);;Python scripts (*.py);;All files (*)</source>
        <translation>PyTorch 文件 (*.pt *.pth *.bin *.ckpt *.safetensors *.json);;Python 脚本 (*.py);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 opened no model: %2
The open model stays; the console shows what the script printed.</source>
        <translation>%1 没有打开任何模型：%2
当前打开的模型保持不变；控制台显示了脚本打印的内容。</translation>
    </message>
    <message>
        <source>The script made several models. Which one should open?</source>
        <translation>脚本创建了多个模型。要打开哪一个？</translation>
    </message>
    <message>
        <source>Running %1… (Stop or Esc in the console interrupts it)</source>
        <translation>正在运行 %1…（在控制台中按“停止”或 Esc 可中断）</translation>
    </message>
</context>
<context>
    <name>mx::ModuleTreeModel</name>
    <message>
        <source>In this subtree: %1 parameters, %2 trainable, %3 bytes of buffers</source>
        <translation>此子树中：%1 个参数，%2 个可训练，缓冲共 %3 字节</translation>
    </message>
    <message>
        <source>state_dict entry</source>
        <translation>state_dict 条目</translation>
    </message>
    <message>
        <source>load_state_dict: %1</source>
        <translation>load_state_dict：%1</translation>
    </message>
    <message>
        <source>An entry of the state_dict file: the file does not say whether it was a parameter or a buffer.</source>
        <translation>state_dict 文件中的一个条目：文件没有说明它原来是参数还是缓冲。</translation>
    </message>
    <message>
        <source>values are not read while a statement or forward runs</source>
        <translation>语句或 forward 运行时不读取数值</translation>
    </message>
    <message>
        <source>not called</source>
        <translation>未调用</translation>
    </message>
    <message>
        <source> params</source>
        <translation> 个参数</translation>
    </message>
    <message>
        <source> trainable</source>
        <translation> 个可训练</translation>
    </message>
    <message>
        <source> buffers</source>
        <translation> 缓冲</translation>
    </message>
    <message>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>种类</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>state_dict key / module repr</source>
        <translation>state_dict 键 / 模块 repr</translation>
    </message>
    <message>
        <source> · .grad sum %1</source>
        <translation> · .grad 总和 %1</translation>
    </message>
    <message>
        <source>sum %1 · first values [%2%3]%4</source>
        <translation>总和 %1 · 前几个值 [%2%3]%4</translation>
    </message>
</context>
<context>
    <name>mx::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Memory budget: the most memory one console statement (its tensors and strings) or one forward pass (its estimated activations) may use. Past it the statement raises MemoryError and changes nothing, and a forward pass is refused before it starts.</source>
        <translation>内存预算：一条控制台语句（其张量和字符串）或一次 forward（其估计的激活值）最多可使用的内存。超出时语句抛出 MemoryError 且不做任何改变，forward 则在开始前就被拒绝。</translation>
    </message>
    <message>
        <source> GiB</source>
        <translation> GiB</translation>
    </message>
    <message>
        <source>Memory budget</source>
        <translation>内存预算</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>%1 GiB of memory</source>
        <translation>%1 GiB 内存</translation>
    </message>
    <message>
        <source>memory size unknown</source>
        <translation>内存大小未知</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>%1 GiB (a quarter of the machine&apos;s memory)</source>
        <translation>%1 GiB（本机内存的四分之一）</translation>
    </message>
</context>
<context>
    <name>mx::RowFilter</name>
    <message>
        <source>Shows only the rows whose name, kind or shape contains this text, with their parent modules. Enter: first match; F3 / Shift+F3: next / previous match; Esc: clear.</source>
        <translation>只显示名字、种类或形状包含此文本的行及其父模块。Enter：第一个匹配；F3 / Shift+F3：下一个 / 上一个匹配；Esc：清除。</translation>
    </message>
    <message>
        <source>no match</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>%1 of %2 match</source>
        <translation>%2 行中 %1 行匹配</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1：%3 行中 %2 行</translation>
    </message>
    <message>
        <source>Tree: %1 of %2 rows match</source>
        <translation>树：%2 行中 %1 行匹配</translation>
    </message>
    <message>
        <source>Filter by name, kind or shape (%1)</source>
        <translation>按名字、种类或形状筛选（%1）</translation>
    </message>
</context>
<context>
    <name>mx::StatementDialog</name>
    <message>
        <source>Runs in the console as:</source>
        <translation>在控制台中运行为：</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Fill in the fields.</source>
        <translation>请填写各字段。</translation>
    </message>
</context>
<context>
    <name>mx::TensorInspector</name>
    <message>
        <source>nothing selected</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>select a tensor to pin</source>
        <translation>选择一个张量来固定</translation>
    </message>
</context>
<context>
    <name>mx::TensorPlot</name>
    <message>
        <source>Select a parameter, buffer or tensor attribute to plot it.</source>
        <translation>选择一个参数、缓冲或张量属性来绘图。</translation>
    </message>
    <message>
        <source>%1 is empty (numel 0): nothing to plot.</source>
        <translation>%1 为空（numel 0）：无可绘制。</translation>
    </message>
    <message>
        <source>The values of a tensor on %1 are not read here; the statistics come from its device.</source>
        <translation>这里不读取位于 %1 上的张量的数值；统计量来自其所在设备。</translation>
    </message>
    <message>
        <source>%1.item() — a 0-d tensor holds one value</source>
        <translation>%1.item() — 0 维张量只有一个值</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
</context>
<context>
    <name>mx::TensorValuesModel</name>
    <message>
        <source>values are not read while a statement or forward runs</source>
        <translation>语句或 forward 运行时不读取数值</translation>
    </message>
    <message>
        <source>[%1, %2] = %3</source>
        <translation>[%1, %2] = %3</translation>
    </message>
    <message>
        <source>%1 cells are selected; at most %2 are copied as text</source>
        <translation>选中了 %1 个单元格；最多以文本复制 %2 个</translation>
    </message>
</context>
<context>
    <name>mx::TrainPanel</name>
    <message>
        <source>Train the model a few optimizer steps and see which tensors change: parameters with requires_grad do, buffers and plain attributes do not (except BatchNorm&apos;s running stats, which forward in train mode moves).</source>
        <translation>用优化器训练模型几步，看看哪些张量改变：requires_grad 的参数会变，缓冲和普通属性不会（BatchNorm 的运行统计量除外，训练模式的 forward 会改变它们）。</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>lr</translation>
    </message>
    <message>
        <source>momentum</source>
        <translation>momentum</translation>
    </message>
    <message>
        <source>betas</source>
        <translation>betas</translation>
    </message>
    <message>
        <source>weight_decay</source>
        <translation>weight_decay</translation>
    </message>
    <message>
        <source>cross_entropy (random class targets)</source>
        <translation>cross_entropy（随机类别目标）</translation>
    </message>
    <message>
        <source>mse_loss (random target)</source>
        <translation>mse_loss（随机目标）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>x = torch.randn(shape) after torch.manual_seed(seed)</source>
        <translation>在 torch.manual_seed(seed) 之后 x = torch.randn(shape)</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>model.train(): Dropout on, BatchNorm updates its running stats on every forward.
model.eval(): Dropout off, BatchNorm uses (and keeps) them.</source>
        <translation>model.train()：开启 Dropout，BatchNorm 在每次 forward 时更新运行统计量。
model.eval()：关闭 Dropout，BatchNorm 使用（并保持）它们。</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Train on the GPU (the model stays there, as after model.to(&apos;cuda&apos;))</source>
        <translation>在 GPU 上训练（模型留在那里，如同 model.to(&apos;cuda&apos;) 之后）</translation>
    </message>
    <message>
        <source>CUDA is unavailable: %1</source>
        <translation>CUDA 不可用：%1</translation>
    </message>
    <message>
        <source>step %v of %m</source>
        <translation>第 %v 步，共 %m 步</translation>
    </message>
    <message>
        <source>Training was not run: it would pass the memory budget. The model is unchanged.</source>
        <translation>训练没有运行：它会超出内存预算。模型未改变。</translation>
    </message>
    <message>
        <source>Training raised an error before its first step; the model is unchanged.</source>
        <translation>训练在第一步之前抛出了错误；模型未改变。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 step(s)&lt;/b&gt; · loss %2 → &lt;b&gt;%3&lt;/b&gt; · forward called %4 time(s), once per step · output %5, target %6&lt;br&gt;%7 tensor(s) changed by the optimizer, %8 by forward in train mode (BatchNorm&apos;s running stats), %9 unchanged (%10 frozen).</source>
        <translation>&lt;b&gt;%1 步&lt;/b&gt; · 损失 %2 → &lt;b&gt;%3&lt;/b&gt; · forward 调用了 %4 次，每步一次 · 输出 %5，目标 %6&lt;br&gt;%7 个张量被优化器改变，%8 个被训练模式的 forward 改变（BatchNorm 的运行统计量），%9 个未变（%10 个已冻结）。</translation>
    </message>
    <message>
        <source>Cancelled after %1 step(s); those steps stay applied, as in Python.&lt;br&gt;</source>
        <translation>在 %1 步后取消；这些步骤保持生效，与 Python 中一样。&lt;br&gt;</translation>
    </message>
</context>
<context>
    <name>mx::TrainResults</name>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>种类</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>已改变</translation>
    </message>
    <message>
        <source>max |Δ|</source>
        <translation>最大 |Δ|</translation>
    </message>
    <message>
        <source>rel. L2 change</source>
        <translation>相对 L2 变化</translation>
    </message>
    <message>
        <source>what moved it</source>
        <translation>由谁改变</translation>
    </message>
    <message>
        <source>.grad</source>
        <translation>.grad</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>哪些改变了</translation>
    </message>
    <message>
        <source>&lt;b&gt;optimizer.state_dict()&lt;/b&gt; is the optimizer&apos;s own state: its hyper-parameters (param_groups) and, per parameter, what it remembers between steps (SGD&apos;s momentum_buffer, Adam&apos;s step, exp_avg and exp_avg_sq). It belongs to the optimizer object, not to the module, so &lt;b&gt;model.state_dict() does not contain it&lt;/b&gt;: to resume training later, save both (torch.save(optimizer.state_dict(), ...)).</source>
        <translation>&lt;b&gt;optimizer.state_dict()&lt;/b&gt; 是优化器自己的状态：它的超参数（param_groups），以及每个参数在各步之间记住的东西（SGD 的 momentum_buffer，Adam 的 step、exp_avg 和 exp_avg_sq）。它属于优化器对象而不属于模块，所以 &lt;b&gt;model.state_dict() 不包含它&lt;/b&gt;：若以后要继续训练，两者都要保存（torch.save(optimizer.state_dict(), ...)）。</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Optimizer state</source>
        <translation>优化器状态</translation>
    </message>
    <message>
        <source>Loss per step (run training to see it)</source>
        <translation>每步的损失（运行训练后可见）</translation>
    </message>
    <message>
        <source>%1 on %2 · loss %3 → %4</source>
        <translation>%1，在 %2 上 · 损失 %3 → %4</translation>
    </message>
    <message>
        <source>optimizer step</source>
        <translation>优化器的一步</translation>
    </message>
    <message>
        <source>forward in train mode (not the optimizer)</source>
        <translation>训练模式的 forward（不是优化器）</translation>
    </message>
    <message>
        <source>nothing: requires_grad=False</source>
        <translation>无：requires_grad=False</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>— (was all zeros)</source>
        <translation>—（原来全为零）</translation>
    </message>
    <message>
        <source>%1 · sum %2 (double-click to inspect)</source>
        <translation>%1 · 总和 %2（双击检查）</translation>
    </message>
    <message>
        <source>tensor %1 · sum %2</source>
        <translation>张量 %1 · 总和 %2</translation>
    </message>
    <message>
        <source>Double-click to inspect it</source>
        <translation>双击检查它</translation>
    </message>
</context>
<context>
    <name>mx::TutorialPanel</name>
    <message>
        <source>Tutorial</source>
        <translation>教程</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <source>(no statement: read and press Next)</source>
        <translation>（没有语句：阅读后按“下一步”）</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Undo this step (Left, Page Up)</source>
        <translation>撤销这一步（Left、Page Up）</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Run the next statement (Right, Page Down)</source>
        <translation>运行下一条语句（Right、Page Down）</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>Open the first experiment&apos;s model afresh</source>
        <translation>重新打开第一个实验的模型</translation>
    </message>
</context>
</TS>
