import { Component, useRef, useState } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { readFileAsBase64 } from "@clever_pos_stock/courier/courier_deliveries";

/**
 * The store keeper's "Product photo" page: find the product (phone camera, hardware scanner,
 * or typed barcode / SKU / name), take a picture, save. The picture becomes the product image;
 * the original file is kept on the product as an attachment.
 */
export class ProductPhoto extends Component {
    static template = "clever_pos_stock.ProductPhoto";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.notification = useService("notification");
        this.fileInput = useRef("file");
        this.canUseCamera = isBarcodeScannerSupported();
        this.state = useState({
            query: "",
            results: [],
            searched: false,
            product: null,
            photo: null,
            photoName: "",
            preview: "",
            busy: false,
            saved: false,
        });
        const barcode = useService("barcode");
        useBus(barcode.bus, "barcode_scanned", (ev) => this.search(ev.detail.barcode));
    }

    imageUrl(product) {
        const unique = encodeURIComponent(product.write_date || "");
        return `/web/image/product.template/${product.id}/image_512?unique=${unique}`;
    }

    async search(query) {
        query = (query ?? this.state.query ?? "").trim();
        if (!query) {
            return;
        }
        this.state.query = query;
        const results = await this.orm.call("product.template", "clever_photo_lookup", [query]);
        Object.assign(this.state, { results, searched: true, saved: false });
        if (results.length === 1) {
            this.select(results[0]);
        } else {
            this.state.product = null;
        }
    }

    onKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            ev.stopPropagation();
            this.search();
        }
    }

    async openCamera() {
        let code = null;
        try {
            code = await scanBarcode(this.env, "environment");
        } catch (error) {
            this.notification.add(error.message || _t("The camera could not read a barcode."), { type: "warning" });
            return;
        }
        if (code) {
            await this.search(code);
        }
    }

    select(product) {
        Object.assign(this.state, { product, photo: null, photoName: "", preview: "", saved: false });
    }

    async onFile(ev) {
        const file = ev.target.files && ev.target.files[0];
        if (!file) {
            return;
        }
        this.state.photo = await readFileAsBase64(file);
        this.state.photoName = file.name;
        this.state.preview = `data:${file.type || "image/jpeg"};base64,${this.state.photo}`;
        this.state.saved = false;
    }

    async save() {
        if (!this.state.product || !this.state.photo || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            const result = await this.orm.call("product.template", "clever_set_photo", [
                [this.state.product.id],
                this.state.photoName,
                this.state.photo,
            ]);
            this.state.product = { ...this.state.product, has_image: true, write_date: result.write_date };
            Object.assign(this.state, { photo: null, photoName: "", preview: "", saved: true });
            this.notification.add(_t("Photo saved: %s", this.state.product.name), { type: "success" });
        } finally {
            this.state.busy = false;
        }
    }
}

registry.category("actions").add("clever_pos_stock.product_photo", ProductPhoto);
