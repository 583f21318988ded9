// The demo shop's own code: a cart whose contents go to the chat as custom fields, a sign-in that gives the
// chat the visitor's email and name, and a list of every chat callback as it fires.
"use strict";

const demoShop = (function () {
  const CALLBACKS = [
    "Open", "Close", "StartChat", "ChatMessageSent", "ChatMessageReceived", "MessageSubmit", "Minimize",
    "OpenProactive", "StartCallme", "SwitchWidget", "InlineButtonClicked", "RatingPromptClicked",
  ];
  const cart = [];
  let chat = null;

  function logCallback(name, args) {
    const item = document.createElement("li");
    const shown = args.map((a) => (typeof a === "object" ? JSON.stringify(a) : String(a)));
    item.textContent = `${new Date().toLocaleTimeString()} ${name}(${shown.join(", ")})`;
    document.getElementById("callbacks").prepend(item);
  }

  function showCart() {
    const total = cart.reduce((sum, p) => sum + p.price, 0).toFixed(2);
    document.getElementById("cart").textContent = cart.length
      ? `${cart.map((p) => p.name).join(", ")}: $${total}`
      : "Empty";
    if (chat) {
      chat.setCustomField("CartItems", cart.map((p) => p.name).join(", "));
      chat.setCustomField("CartTotal", total);
    }
  }

  for (const button of document.querySelectorAll(".product .add")) {
    button.addEventListener("click", () => {
      const product = button.closest(".product");
      cart.push({ name: product.dataset.name, price: Number(product.dataset.price) });
      showCart();
    });
  }

  document.getElementById("sign-in").addEventListener("click", () => {
    if (!chat) return;
    chat.setUserEmail("jane@example.com", true);
    chat.setUserName("Jane Doe");
    document.getElementById("sign-in").textContent = "Signed in as Jane";
  });

  return {
    connect(snapEngage) {
      chat = snapEngage;
      for (const name of CALLBACKS) {
        snapEngage.setCallback(name, (...args) => logCallback(name, args));
      }
      snapEngage.setCallback(snapEngage.callbacks.CHAT_ENDED, (options) => logCallback("CHAT_ENDED", [options]));
      showCart();
    },
  };
})();
