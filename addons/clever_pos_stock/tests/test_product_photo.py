import base64
import io

from PIL import Image

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import CleverStockCase


def jpeg_bytes(width=1600, height=1200, color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="JPEG")
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestProductPhoto(CleverStockCase):
    def test_lookup_by_barcode_sku_or_name(self):
        Template = self.env["product.template"].with_user(self.storekeeper)
        self.assertEqual([r["id"] for r in Template.clever_photo_lookup("4870204390018")], self.product.ids)
        self.assertIn(self.product.id, [r["id"] for r in Template.clever_photo_lookup("tst-water")])
        self.assertIn(self.product.id, [r["id"] for r in Template.clever_photo_lookup("Tassay")])
        self.assertEqual(Template.clever_photo_lookup("  "), [])
        with self.assertRaises(AccessError, msg="a cashier takes no product photos"):
            self.env["product.template"].with_user(self.cashier).clever_photo_lookup("4870204390018")

    def test_photo_becomes_image_and_original_is_kept(self):
        raw = jpeg_bytes()
        result = self.product.with_user(self.storekeeper).clever_set_photo("IMG_0001.jpg", base64.b64encode(raw).decode())
        attachment = self.env["ir.attachment"].browse(result["attachment_id"])
        self.assertEqual((attachment.res_model, attachment.res_id), ("product.template", self.product.id))
        self.assertEqual(attachment.raw, raw, "the original file is kept untouched")
        self.assertEqual(attachment.mimetype, "image/jpeg")
        self.assertTrue(self.product.image_1920)
        medium = Image.open(io.BytesIO(base64.b64decode(self.product.image_1024)))
        self.assertLessEqual(max(medium.size), 1024, "Odoo made the smaller sizes")
        small = Image.open(io.BytesIO(base64.b64decode(self.product.image_128)))
        self.assertLessEqual(max(small.size), 128)
        self.assertTrue(self.product.product_variant_id.image_128, "the variant shows it too")
        # A photo over Odoo's attachment limit (base.image_autoresize_max_px, 1920 px) is scaled
        # down to it, the product image too.
        self.product.with_user(self.storekeeper).clever_set_photo("IMG_0002.jpg", base64.b64encode(jpeg_bytes(4000, 3000)).decode())
        image = Image.open(io.BytesIO(base64.b64decode(self.product.image_1920)))
        self.assertLessEqual(max(image.size), 1920)
        self.assertEqual(len(self.env["ir.attachment"].search([("res_model", "=", "product.template"), ("res_id", "=", self.product.id), ("res_field", "=", False)])), 2)

    def test_not_a_photo(self):
        with self.assertRaises(UserError):
            self.product.with_user(self.storekeeper).clever_set_photo("notes.txt", base64.b64encode(b"hello").decode())
        with self.assertRaises(UserError):
            self.product.with_user(self.storekeeper).clever_set_photo("x.jpg", "%%%")
        with self.assertRaises(AccessError):
            self.product.with_user(self.cashier).clever_set_photo("IMG.jpg", base64.b64encode(jpeg_bytes(10, 10)).decode())


@tagged("post_install", "-at_install")
class TestProductPhotoTour(CleverStockCase, HttpCase):
    """A store keeper on a phone finds a product by its barcode and photographs it."""

    browser_size = "375x667"
    touch_enabled = True

    def test_product_photo_on_a_phone(self):
        self.assertFalse(self.product.image_1920)
        self.start_tour("/odoo/action-clever_pos_stock.clever_product_photo_action", "clever_product_photo_tour", login="test_storekeeper")
        self.assertTrue(self.product.image_1920, "the photo is the product image")
        originals = self.env["ir.attachment"].search(
            [("res_model", "=", "product.template"), ("res_id", "=", self.product.id), ("res_field", "=", False)]
        )
        self.assertEqual(originals.mapped("name"), ["shelf.png"])
        self.assertEqual(originals.create_uid, self.storekeeper)
