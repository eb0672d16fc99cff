/* The API documentation page (/api/): Swagger UI, vendored under static/vendor/swagger-ui,
   rendering the OpenAPI description whose address the page gives in data-openapi-url.
   A file of its own because the CSP allows no inline script. No validator badge (it would
   call validator.swagger.io); GET is the only method the API has, the only one to try. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    deepLinking: true,
    validatorUrl: null,
    supportedSubmitMethods: ["get"],
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    tryItOutEnabled: false
  });
})();
