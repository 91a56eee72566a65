/** The product's name, as shown in titles and on the sign-in card (a name: never translated). */
export const PRODUCT_NAME = 'rustchat'
