import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { parseFloat } from "@web/views/fields/parsers";

/** A line with a typed name, VAT rate (one product per rate) and price. */
export class CleverFreeLinePopup extends Component {
    static template = "clever_pos_terminal.CleverFreeLinePopup";
    static components = { Dialog };
    static props = { products: Array, getPayload: Function, close: Function };

    setup() {
        this.state = useState({ name: "", price: "", productId: this.props.products[0]?.id });
    }

    vatLabel(product) {
        const taxes = product.taxes_id || product.product_tmpl_id?.taxes_id || [];
        return taxes.length ? taxes.map((t) => t.name).join(", ") : product.display_name;
    }

    get price() {
        return this.env.utils.isValidFloat(this.state.price) ? parseFloat(this.state.price) : 0;
    }

    get canConfirm() {
        return Boolean(this.state.name.trim() && this.price > 0 && this.state.productId);
    }

    confirm() {
        if (!this.canConfirm) {
            return;
        }
        const product = this.props.products.find((p) => p.id === this.state.productId);
        this.props.getPayload({ name: this.state.name.trim(), price: this.price, product });
        this.props.close();
    }
}
