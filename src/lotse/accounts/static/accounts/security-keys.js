/*
 * Security keys and passkeys (WebAuthn) on the code step and on the key page.
 * No inline script (CSP); loaded with `defer` only by those two pages.
 *
 * Markup: [data-security-key-root] (hidden until this script has checked that the browser
 * supports WebAuthn) with data-ceremony="create" (add a key) or "get" (sign in),
 * data-options-url (POST, answers JSON options), data-message-failed, optionally
 * data-reauth-url; inside it a form [data-security-key-form] with a hidden
 * [data-security-key-credential] field and a [data-security-key-status] live region.
 * [data-security-key-unsupported] explains when the browser cannot use keys.
 * Instead of a form of its own the root may name one with data-form (the id of a form that
 * also submits without a key, e.g. the confirmation with password and code): then only the
 * root's own button (form="…") starts the key, and data-requires-field names a field that
 * must be filled first (data-message-required says so).
 *
 * On submit the script fetches fresh options (the server keeps the challenge in the session),
 * asks the browser for the credential, puts the response as JSON into the hidden field and
 * submits the form. The server verifies everything; nothing here is trusted.
 */
(function () {
  "use strict";

  function supported() {
    return Boolean(
      window.PublicKeyCredential &&
        navigator.credentials &&
        typeof navigator.credentials.create === "function" &&
        typeof navigator.credentials.get === "function" &&
        window.fetch
    );
  }

  function toBuffer(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    if (!buffer) {
      return null;
    }
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) {
      binary += String.fromCharCode(bytes[i]);
    }
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      var descriptor = { type: item.type, id: toBuffer(item.id) };
      if (item.transports) {
        descriptor.transports = item.transports;
      }
      return descriptor;
    });
  }

  function creationOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBuffer(options.challenge);
    publicKey.user = Object.assign({}, options.user, { id: toBuffer(options.user.id) });
    publicKey.excludeCredentials = descriptors(options.excludeCredentials);
    return { publicKey: publicKey };
  }

  function requestOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBuffer(options.challenge);
    publicKey.allowCredentials = descriptors(options.allowCredentials);
    return { publicKey: publicKey };
  }

  function registrationJSON(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: typeof response.getTransports === "function" ? response.getTransports() : [],
      },
    };
  }

  function assertionJSON(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: toBase64url(response.userHandle),
      },
    };
  }

  function csrfToken(form) {
    var field = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return field ? field.value : "";
  }

  function Failure(message, redirect) {
    this.message = message;
    this.redirect = redirect;
  }

  function fetchOptions(root, form) {
    return window
      .fetch(root.getAttribute("data-options-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // Not JSON: the sign-in is no longer recent (confirmation page) or the session ended.
          throw new Failure("", root.getAttribute("data-reauth-url") || window.location.href);
        }
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Failure(body.detail || "");
          }
          return body;
        });
      });
  }

  function setUp(root) {
    var unsupported = document.querySelectorAll("[data-security-key-unsupported]");
    var ok = supported();
    root.hidden = !ok;
    unsupported.forEach(function (element) {
      element.hidden = ok;
    });
    if (!ok) {
      return;
    }
    var shared = root.getAttribute("data-form");
    var form = shared
      ? document.getElementById(shared)
      : root.querySelector("[data-security-key-form]");
    var field = form.querySelector("[data-security-key-credential]");
    var button = root.querySelector("[data-security-key-button]");
    var status = root.querySelector("[data-security-key-status]");
    var creating = root.getAttribute("data-ceremony") === "create";
    var busy = false;

    form.addEventListener("submit", function (event) {
      if (shared && !(event.submitter && root.contains(event.submitter))) {
        field.value = ""; // the form's own button: password and code, no key
        return;
      }
      event.preventDefault();
      if (busy) {
        return;
      }
      var required = root.getAttribute("data-requires-field");
      if (required) {
        var input = form.querySelector('[name="' + required + '"]');
        if (input && !input.value) {
          status.textContent = root.getAttribute("data-message-required") || "";
          input.focus();
          return;
        }
      }
      if (form.hasAttribute("data-requires-name")) {
        var name = form.querySelector('input[name="name"]');
        if (name && !name.value.trim()) {
          form.submit(); // the server answers with the message at the field
          return;
        }
      }
      busy = true;
      button.disabled = true;
      status.textContent = "";
      fetchOptions(root, form)
        .then(function (options) {
          return creating
            ? navigator.credentials.create(creationOptions(options))
            : navigator.credentials.get(requestOptions(options));
        })
        .then(function (credential) {
          if (!credential) {
            throw new Failure("");
          }
          field.value = JSON.stringify(
            creating ? registrationJSON(credential) : assertionJSON(credential)
          );
          form.submit();
        })
        .catch(function (error) {
          busy = false;
          button.disabled = false;
          if (error instanceof Failure && error.redirect) {
            window.location.assign(error.redirect);
            return;
          }
          var message = error instanceof Failure && error.message ? error.message : "";
          status.textContent = message || root.getAttribute("data-message-failed");
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-security-key-root]").forEach(setUp);
  });
})();
