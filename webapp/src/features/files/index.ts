export { uploadFile, fileUrl, previewUrl } from './repositories/filesRepository'
export { humanSize, isInlineImage, filesFrom } from './services/fileFormat'
export { default as AttachmentList } from './components/AttachmentList.vue'
