// The Mobile SDK's host page, as the vendor's Android and iOS ChatView build it around a web view: the app's
// custom variables as page globals, the widget script from {baseJsUrl}/{widgetId}.js, the button hidden and
// proactive chat off, every callback the SDKs listen to forwarded to their native bridge objects (iOS:
// window.webkit.messageHandlers.<name>.postMessage, Android: window.<Object>.<method>(...)), then "ready".
// mocksnap's page also opens the chat, as an app does with ChatView.startLink().
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("mobile-config").textContent);

  // [callback, iOS message handler, Android object, Android method, the callback's arguments as names]
  const BRIDGES = [
    ["Close", "onCloseHandler", "CloseEventHandlerImpl", "onClose", ["type", "status"]],
    ["ChatMessageReceived", "chatMessageReceived", "ChatMessageReceivedEventHandlerImpl", "onChatMessageReceived", ["agent", "msg"]],
    ["ChatMessageSent", "chatMessageSent", "ChatMessageSentEventHandlerImpl", "onChatMessageSent", ["msg"]],
    ["MessageSubmit", "messageSubmit", "MessageSubmitEventHandlerImpl", "onMessageSubmit", ["email", "msg"]],
    ["Minimize", "minimize", "MinimizeEventHandlerImpl", "onMinimize", ["isMinimized", "chatType", "boxType"]],
    ["Open", "open", "OpenEventHandlerImpl", "onOpen", ["status"]],
    ["OpenProactive", "openProactive", "OpenProactiveEventHandlerImpl", "onOpenProactive", ["agent", "msg"]],
    ["StartChat", "startChat", "StartChatEventHandlerImpl", "onStartChat", ["email", "msg", "type"]],
    ["StartCallme", "startCallme", "StartCallmeEventHandlerImpl", "onStartCallMe", ["phone"]],
    ["SwitchWidget", "switchWidget", "SwitchWidgetEventHandlerImpl", "onSwitchWidget", ["newWidgetId"]],
  ];

  function toIos(handler, message) {
    const handlers = window.webkit && window.webkit.messageHandlers;
    if (handlers && handlers[handler]) handlers[handler].postMessage(message);
  }

  function toAndroid(object, method, args) {
    const bridge = window[object];
    if (bridge && typeof bridge[method] === "function") bridge[method](...args);
  }

  // The SDKs make the chat fill the view by styling the chat box's document: it must be same-origin.
  function fillView() {
    const iframe = document.getElementById("designstudio-iframe");
    const inner = iframe.contentDocument || iframe.contentWindow.document;
    const style = inner.createElement("style");
    style.textContent = "html #main-mobile { height:100%!important; width:100% !important; margin:0}";
    inner.getElementsByTagName("head")[0].appendChild(style);
  }

  window.onerror = (message, url, line, column, error) => {
    toIos("globalError", { message: String(message), url, line, column, error: JSON.stringify(error) });
  };

  for (const [name, value] of Object.entries(config.customVariables)) window[name] = value;

  const script = document.createElement("script");
  script.type = "text/javascript";
  script.async = true;
  script.src = config.jsUrl;
  script.onerror = (event) => toIos("error", { message: event.type });
  script.onload = () => {
    const provider = window[config.provider];
    fillView();
    provider.hideButton();
    provider.allowProactiveChat(false);
    for (const [callback, handler, object, method, names] of BRIDGES) {
      provider.setCallback(callback, (...args) => {
        toIos(handler, Object.fromEntries(names.map((n, i) => [n, args[i]])));
        toAndroid(object, method, args);
      });
    }
    provider.setCallback("InlineButtonClicked", (options) => {
      const { botName, buttonLabel, buttonValue } = options;
      toIos("button", { botName, buttonLabel, buttonValue });
      toAndroid("ButtonEventHandlerImpl", "onButtonEvent", [botName, buttonLabel, buttonValue]);
    });
    toIos("onReady", { done: true });
    toAndroid("ReadyEventHandlerImpl", "onReady", []);
    provider.startLink();
  };
  document.head.appendChild(script);
})();
