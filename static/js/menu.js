// The header's "Menu" button: on a narrow screen it shows and hides the account line and the
// main navigation. Without this script the button stays hidden and everything stays in view;
// on wide screens the stylesheet hides the button and shows everything whatever its state.
(function () {
  "use strict";
  var header = document.querySelector("[data-menu]");
  var button = header && header.querySelector("[data-menu-toggle]");
  if (!button) { return; }

  function setOpen(isOpen) {
    button.setAttribute("aria-expanded", isOpen ? "true" : "false");
    header.classList.toggle("menu-open", isOpen);
  }

  button.hidden = false;
  header.classList.add("menu-ready");
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes an open menu and puts the focus back on its button.
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
