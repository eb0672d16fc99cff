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
  // The page has its own <main> and <h1> (templates/base.html; WCAG 1.3.1, checked by
  // tests/browser/test_accessibility.py): Swagger UI's layout draws its operations in a <div>
  // named as a region instead of a second <main>, and the API's title is a second-level heading.
  function oneMainOneTitle(system) {
    var React = system.React;
    function retag(element) {
      if (!React.isValidElement(element)) {
        return element;
      }
      var children = element.props.children;
      if (children !== undefined && children !== null) {
        children = React.Children.toArray(children).map(retag);
      }
      if (element.type === "main") {
        var props = Object.assign({ key: element.key }, element.props, { role: "region", "aria-label": "接口列表" });
        return React.createElement("div", props, children);
      }
      return children === undefined || children === null ? element : React.cloneElement(element, null, children);
    }
    function titleLevel() {
      var title = root.querySelector(".info h1.title:not([aria-level])");
      if (title) {
        title.setAttribute("aria-level", "2");
      }
    }
    var subclasses = new WeakMap();
    function accessible(Layout) { // the layout class, its <main> drawn as a <div>
      if (!subclasses.has(Layout)) {
        subclasses.set(Layout, class extends Layout {
          render() { return retag(super.render()); }
          componentDidMount() { titleLevel(); }
          componentDidUpdate() { titleLevel(); }
        });
      }
      return subclasses.get(Layout);
    }
    return {
      wrapComponents: {
        // Swagger UI hands over BaseLayout inside its error boundary: <ErrorBoundary><BaseLayout/></ErrorBoundary>
        BaseLayout: function (Original) {
          return class extends Original {
            render() {
              var out = super.render();
              var layout = out && out.props && out.props.children;
              if (!React.isValidElement(layout) || typeof layout.type !== "function" || !layout.type.prototype.render) {
                return retag(out);
              }
              var props = Object.assign({ key: layout.key }, layout.props);
              return React.cloneElement(out, null, React.createElement(accessible(layout.type), props));
            }
          };
        }
      }
    };
  }

  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    deepLinking: false, // a link inside each operation's button is a control within a control (WCAG 4.1.2)
    validatorUrl: null,
    supportedSubmitMethods: ["get"],
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    tryItOutEnabled: false,
    plugins: [oneMainOneTitle]
  });
})();
