# Run by tools/test.sh through `odoo-bin shell`: generates the asset bundles the tests load
# (backend, POS, frontend and the tours' test bundle) and commits them, so that every browser
# test of the run finds them built instead of paying about a minute each.
bundles = [
    "web.assets_backend",
    "web.assets_frontend",
    "web.assets_web",
    "web.assets_tests",
    "point_of_sale.assets_prod",
]
for name in bundles:
    try:
        bundle = env["ir.qweb"]._get_asset_bundle(name, assets_params={})  # noqa: F821
    except ValueError:
        continue  # a bundle of a module that is not installed
    bundle.js()
    bundle.css()
env.cr.commit()  # noqa: F821
